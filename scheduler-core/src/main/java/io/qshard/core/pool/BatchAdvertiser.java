package io.qshard.core.pool;

import io.qshard.core.model.Resources;
import io.qshard.core.model.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, for the reporter of a node's usage (the node agent, or the simulator for nodes without a kubelet), what
 * to advertise as the node's {@code qshard.io/batch-cpu} / {@code qshard.io/batch-memory} allocatable and what
 * ceiling to publish with each usage report, so that no batch or free placement ever outruns what the kubelet admits.
 *
 * <p>The race it closes: a scheduler places a batch pod against the advertised value it has seen while the reporter,
 * which has not seen that pod yet, lowers the advertisement below the pod's requests; the kubelet would then refuse
 * the pod. The protocol:
 * <ol>
 *   <li>every tick the reporter publishes {@code ceiling = max(pool, Σ batch requests bound)} with its usage report;
 *       schedulers place against {@code min(advertised, ceiling)} from the moment they see it;</li>
 *   <li>raising the advertisement is always safe and happens at once;</li>
 *   <li>lowering happens only to {@code max(Σ batch requests bound now, every ceiling published in the last
 *       holdDown)}, and only after ceilings have been published for a whole hold-down: placements made against an
 *       older, higher value were bound more than a hold-down ago, so the reporter counts them in "bound now".</li>
 * </ol>
 * Safe as long as the hold-down exceeds the schedulers' and the reporter's informer lag plus a binding's latency
 * (milliseconds to a second; the default hold-down is two report intervals, at least 2 s). Changes smaller than
 * {@code changeThreshold} (relative) are not written, to spare node-status writes, which fan out to every node
 * watcher.
 *
 * <p>Not thread-safe: owned by the reporter's tick thread.
 */
public final class BatchAdvertiser {
    /** Default relative change below which the advertisement is not rewritten: 2 %. */
    public static final double DEFAULT_CHANGE_THRESHOLD = 0.02;
    /** Shortest hold-down: 2 s. */
    public static final Duration MIN_HOLD_DOWN = Duration.ofSeconds(2);

    private final Duration holdDown;
    private final double changeThreshold;
    private final Map<String, Deque<Published>> history = new HashMap<>();

    /**
     * @param holdDown        how long a ceiling must have been published before the advertisement may drop to it
     * @param changeThreshold relative change below which nothing is written, in [0, 1)
     */
    public BatchAdvertiser(Duration holdDown, double changeThreshold) {
        if (holdDown.compareTo(MIN_HOLD_DOWN) < 0) {
            throw new IllegalArgumentException(
                    "hold-down must be at least " + MIN_HOLD_DOWN.toSeconds() + " s, was " + holdDown);
        }
        if (!(changeThreshold >= 0 && changeThreshold < 1)) {
            throw new IllegalArgumentException("change threshold must be in [0, 1), was " + changeThreshold);
        }
        this.holdDown = holdDown;
        this.changeThreshold = changeThreshold;
    }

    /** @return the default hold-down for a report interval: two intervals, at least {@link #MIN_HOLD_DOWN} */
    public static Duration holdDownFor(Duration reportInterval) {
        Duration twice = reportInterval.multipliedBy(2);
        return twice.compareTo(MIN_HOLD_DOWN) < 0 ? MIN_HOLD_DOWN : twice;
    }

    /**
     * One tick for one node.
     *
     * @param node       the node
     * @param pool       its batch pool now ({@link NodeRoom#batchPool}), batch components only
     * @param bound      Σ batch requests of the batch and free pods the reporter sees bound to it
     * @param advertised what the node's status advertises now (batch components; a negative figure reads as below
     *                   any ceiling)
     * @param now        the reporter's clock
     * @return the ceiling to publish with this tick's report and the advertisement to write, if any
     */
    public Decision tick(String node, Resources pool, Resources bound, Resources advertised, Instant now) {
        Resources ceiling = batchOnly(pool.max(bound));
        Deque<Published> past = history.computeIfAbsent(node, n -> new ArrayDeque<>());
        past.addLast(new Published(now, ceiling));
        boolean coversHoldDown = !past.peekFirst().at().isAfter(now.minus(holdDown));
        while (past.size() > 1
                && past.peekFirst().at().isBefore(now.minus(holdDown))
                && !past.stream().skip(1).findFirst().orElseThrow().at().isAfter(now.minus(holdDown))) {
            past.removeFirst(); // keep exactly one entry at or before the window's start
        }
        Resources floor = bound;
        for (Published p : past) {
            floor = floor.max(p.ceiling());
        }
        Resources lowest = batchOnly(floor);
        Resources target;
        if (exceeds(ceiling, advertised)) {
            target = batchOnly(ceiling.max(advertised)); // raise what grew, keep the rest until it may drop
            if (coversHoldDown && exceeds(advertised, lowest)) {
                target = batchOnly(ceiling.max(lowest));
            }
        } else if (coversHoldDown && exceeds(advertised, lowest)) {
            target = lowest;
        } else {
            target = null;
        }
        return new Decision(ceiling, target);
    }

    /**
     * The node's report or advertisement could not be written: the ceilings published so far may not have reached
     * the schedulers, so the advertisement is not lowered again before another full hold-down.
     */
    public void failed(String node) {
        history.remove(node);
    }

    /** The node is gone. */
    public void forget(String node) {
        history.remove(node);
    }

    /** Whether some batch component of {@code a} is above {@code b} by more than the change threshold. */
    private boolean exceeds(Resources a, Resources b) {
        return above(a.batchMilliCpu(), b.batchMilliCpu()) || above(a.batchMemoryBytes(), b.batchMemoryBytes());
    }

    private boolean above(long a, long b) {
        return a > b && Saturating.subtract(a, b) > changeThreshold * Math.max(1, b);
    }

    private static Resources batchOnly(Resources r) {
        return Resources.batch(Math.max(0, r.batchMilliCpu()), Math.max(0, r.batchMemoryBytes()));
    }

    /**
     * @param ceiling   the ceiling to publish in this tick's report (batch components)
     * @param advertise the batch resources to write on the node's status now, or null for no write
     */
    public record Decision(Resources ceiling, Resources advertise) {
        public Decision {
            Objects.requireNonNull(ceiling, "ceiling");
        }
    }

    private record Published(Instant at, Resources ceiling) {}
}
