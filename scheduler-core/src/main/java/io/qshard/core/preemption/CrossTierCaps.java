package io.qshard.core.preemption;

import io.qshard.core.framework.EvictionCaps;
import io.qshard.core.model.PodRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The migration loop's caps applied to preemption across tiers, so that a surge of a higher tier cannot evict a whole
 * cluster's lower-tier work at once. A victim counts when it belongs to a qshard tier other than the preemptor's
 * (mid, batch, free under prod); victims of the preemptor's own tier or of other schedulers are kube-scheduler's
 * business and never capped. A preemption is allowed when, with its cross-tier victims added:
 *
 * <ul>
 *   <li>at most {@code perMinute} cross-tier victims in the trailing minute, in this instance;
 *   <li>at most {@code perNode} on its node within {@code window};
 *   <li>at most {@code perWorkload} of one workload (controller owner; a bare pod is its own) within {@code window}.
 * </ul>
 * A victim chosen again while it is still being removed is counted once. A preemption that alone needs more victims
 * than a cap is allowed when nothing else counts against that cap in its window (so no pod waits for ever), and fills
 * the window. Counted per scheduler instance: a sharded tier has one set per shard. Thread-safe (synchronized);
 * memory bounded by the victims of the last {@code max(window, 1 min)}.
 */
public final class CrossTierCaps implements EvictionCaps {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private record Evicted(Instant at, String node, String workload, String uid) {}

    private final int perMinute;
    private final int perNode;
    private final int perWorkload;
    private final Duration window;
    private final ArrayDeque<Evicted> recent = new ArrayDeque<>();

    /**
     * @param perMinute   cross-tier victims per trailing minute, ≥ 1
     * @param perNode     per node within {@code window}, ≥ 1
     * @param perWorkload per workload within {@code window}, ≥ 1
     * @param window      the per-node and per-workload window (the migration loop's cooldown), &gt; 0
     */
    public CrossTierCaps(int perMinute, int perNode, int perWorkload, Duration window) {
        if (perMinute < 1 || perNode < 1 || perWorkload < 1) {
            throw new IllegalArgumentException("caps must be >= 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be > 0, was " + window);
        }
        this.perMinute = perMinute;
        this.perNode = perNode;
        this.perWorkload = perWorkload;
        this.window = Objects.requireNonNull(window, "window");
    }

    /** Whether {@code victim} is taken from another tier than {@code preemptor}'s (the ones the caps count). */
    public static boolean crossTier(PodRequest preemptor, PodRequest victim) {
        return victim.tier() != null && !victim.tier().equals(preemptor.tier());
    }

    /** {@link #allows(PodRequest, String, List, Instant)} for a candidate of the dry run. */
    public boolean allows(PodRequest preemptor, Victims victims, Instant now) {
        return allows(preemptor, victims.node(), victims.pods(), now);
    }

    /** {@link #record(PodRequest, String, List, Instant)} for a chosen candidate. */
    public void record(PodRequest preemptor, Victims victims, Instant now) {
        record(preemptor, victims.node(), victims.pods(), now);
    }

    @Override
    public synchronized boolean allows(PodRequest preemptor, String onNode, List<PodRequest> victims, Instant now) {
        expire(now);
        int minute = 0;
        int node = 0;
        Instant since = now.minus(window);
        for (Evicted e : recent) {
            minute += e.at().isAfter(now.minus(MINUTE)) ? 1 : 0;
            node += e.at().isAfter(since) && e.node().equals(onNode) ? 1 : 0;
        }
        int mine = 0;
        for (PodRequest v : victims) {
            if (!counts(preemptor, v)) {
                continue;
            }
            mine++;
            int before = workloadCount(workload(v), since);
            if (before > 0 && before + sameWorkload(preemptor, victims, workload(v)) > perWorkload) {
                return false;
            }
        }
        return mine == 0 || (within(minute, mine, perMinute) && within(node, mine, perNode));
    }

    /**
     * {@code mine} more on top of {@code before} stay within {@code cap}; a preemption that alone needs more than the
     * cap is allowed when nothing else counts in that window — otherwise its pod could never be placed — and then
     * fills the window.
     */
    private static boolean within(int before, int mine, int cap) {
        return before == 0 || before + mine <= cap;
    }

    @Override
    public synchronized void record(PodRequest preemptor, String onNode, List<PodRequest> victims, Instant now) {
        for (PodRequest v : victims) {
            if (counts(preemptor, v)) {
                recent.addLast(new Evicted(now, onNode, workload(v), v.uid()));
            }
        }
    }

    private int workloadCount(String workload, Instant since) {
        int n = 0;
        for (Evicted e : recent) {
            n += e.at().isAfter(since) && e.workload().equals(workload) ? 1 : 0;
        }
        return n;
    }

    private int sameWorkload(PodRequest preemptor, List<PodRequest> victims, String workload) {
        int n = 0;
        for (PodRequest v : victims) {
            n += counts(preemptor, v) && workload(v).equals(workload) ? 1 : 0;
        }
        return n;
    }

    /**
     * A cross-tier victim not already being removed: a pod still terminating from an earlier preemption may be chosen
     * again by the next preemptor (1.20 counts it among the node's pods until it is gone) and is not a new eviction.
     */
    private boolean counts(PodRequest preemptor, PodRequest victim) {
        if (!crossTier(preemptor, victim)) {
            return false;
        }
        for (Evicted e : recent) {
            if (e.uid().equals(victim.uid())) {
                return false;
            }
        }
        return true;
    }

    private void expire(Instant now) {
        Instant horizon = now.minus(window.compareTo(MINUTE) > 0 ? window : MINUTE);
        for (Iterator<Evicted> it = recent.iterator(); it.hasNext(); ) {
            if (it.next().at().isAfter(horizon)) {
                break;
            }
            it.remove();
        }
    }

    private static String workload(PodRequest p) {
        return p.owner() != null ? p.owner().uid() : "pod:" + p.uid();
    }
}
