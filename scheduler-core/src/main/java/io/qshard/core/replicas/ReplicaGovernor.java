package io.qshard.core.replicas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Phase 3 of the control law: turns the planner's recommendations into writes with hysteresis in time (a scale-up
 * takes the minimum recommendation over the up window, which must be spanned by samples no further apart than the max
 * gap, else the window restarts), a max step, a min interval per workload, the manual hold, and the cluster-wide rate
 * (docs/architecture.md, "Replica hosting"). Keeps each workload's recent recommendations ({@link #reset} forgets
 * them). Bookkeeping times later than now + 5 min read as absent. Mutable, confined to one thread (the controller's
 * loop).
 */
public final class ReplicaGovernor {
    /** The most recommendations kept per workload (a 3-minute window at a 1-second period needs 181). */
    static final int MAX_WINDOW = 10_000;

    /** The allowed skew of bookkeeping times: a change time later than now + this reads as absent. */
    static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

    private final HostingSettings settings;
    private final Duration maxGap;
    private final RateLedger ledger;
    private final Map<WorkloadKey, ArrayDeque<Sample>> windows = new HashMap<>();
    private long rateLimited;

    private record Sample(Instant at, int raw) {}

    /**
     * A governor whose windows restart after a gap of more than {@link #defaultMaxGap} between two samples.
     *
     * @param settings the control-law settings
     */
    public ReplicaGovernor(HostingSettings settings) {
        this(settings, defaultMaxGap(settings.upWindow(), Duration.ofSeconds(30)));
    }

    /**
     * @param settings the control-law settings
     * @param maxGap   a workload's window restarts (is no longer spanned) when two of its samples are further apart
     *                 than this, so a window is only spanned by samples that cover it; &gt; 0 (pass
     *                 {@link #defaultMaxGap} with the controller's period)
     */
    public ReplicaGovernor(HostingSettings settings, Duration maxGap) {
        if (maxGap == null || maxGap.isNegative() || maxGap.isZero()) {
            throw new IllegalArgumentException("maxGap must be > 0, was " + maxGap);
        }
        this.settings = settings;
        this.maxGap = maxGap;
        this.ledger = new RateLedger(settings.maxReplicasPerMinute(), Duration.ofMinutes(1));
    }

    /**
     * Decides one workload. Records {@code rec.raw()} in its window whatever the decision. With C = current, R =
     * the request (bookkeeping, else C), target = clamp(raw, min, max):
     *
     * <pre>
     * now &lt; requestChangedAt + manualHold      → HOLD (a manual value, even outside [min, max], is honoured)
     * C outside [min, max]                     → RANGE to clamp(C)
     * target &lt; C: now &lt; changedAt + minInterval → HOLD, else DOWN to max(target, C − step(C))
     * target &gt; C: window not spanned          → HOLD; upTarget = clamp(min raw over the window) ≤ C → HOLD;
     *             interval as above → HOLD; else UP to min(upTarget, C + step(C))
     * else                                      → STEADY
     * </pre>
     *
     * @param w   the workload (its bookkeeping gives the last change and the manual hold)
     * @param rec the planner's recommendation for it
     * @param now the cycle's time
     */
    public ReplicaDecision decide(HostedWorkload w, Recommendation rec, Instant now) {
        ArrayDeque<Sample> window = record(w.key(), rec.raw(), now);
        Bookkeeping book = notInFuture(w.book() == null ? Bookkeeping.NONE : w.book(), now);
        HostingSpec spec = w.spec();
        int c = w.current();
        int request = book.request() != null ? book.request() : c;
        Decisions d = new Decisions(w, rec, request, settings);
        if (book.requestChangedAt() != null
                && now.isBefore(book.requestChangedAt().plus(settings.manualHold()))) {
            return d.hold("manual change at " + Decisions.time(book.requestChangedAt()) + ", held until "
                    + Decisions.time(book.requestChangedAt().plus(settings.manualHold())));
        }
        if (c < spec.min() || c > spec.max()) {
            return d.range(spec.clamp(c));
        }
        int target = spec.clamp(rec.raw());
        boolean interval =
                book.changedAt() != null && now.isBefore(book.changedAt().plus(settings.minInterval()));
        if (target < c) {
            return interval
                    ? d.intervalHold(book.changedAt())
                    : d.change(ReplicaDecision.Direction.DOWN, Math.max(target, c - settings.step(c)));
        }
        if (target > c) {
            Instant start = now.minus(settings.upWindow());
            if (window.peekFirst().at().isAfter(start)) {
                return d.hold("room not yet sustained for " + Decisions.duration(settings.upWindow()) + "; "
                        + rec.why(w.tier()));
            }
            int least = Integer.MAX_VALUE;
            for (Sample s : window) {
                if (!s.at().isBefore(start)) {
                    least = Math.min(least, s.raw());
                }
            }
            int upTarget = spec.clamp(least);
            if (upTarget <= c) {
                return d.hold("room not sustained for " + Decisions.duration(settings.upWindow()) + " (least "
                        + "recommendation " + least + "); " + rec.why(w.tier()));
            }
            return interval
                    ? d.intervalHold(book.changedAt())
                    : d.change(ReplicaDecision.Direction.UP, Math.min(upTarget, c + settings.step(c)));
        }
        return d.steady();
    }

    /**
     * Applies the cluster-wide rate to one cycle's decisions: range corrections, then downs least important first,
     * then ups most important first; the last one may be cut to what is left, the rest hold. Records what it lets
     * through in the ledger.
     *
     * @param decisions the cycle's decisions, most important first
     * @return the same decisions, in the same order, limited
     */
    public List<ReplicaDecision> limit(List<ReplicaDecision> decisions, Instant now) {
        ReplicaDecision[] out = decisions.toArray(ReplicaDecision[]::new);
        List<Integer> order = new ArrayList<>();
        addIndices(out, ReplicaDecision.Direction.RANGE, false, order);
        addIndices(out, ReplicaDecision.Direction.DOWN, true, order);
        addIndices(out, ReplicaDecision.Direction.UP, false, order);
        for (int i : order) {
            ReplicaDecision d = out[i];
            int delta = Math.abs(d.next() - d.current());
            int left = ledger.left(now);
            if (left == 0) {
                rateLimited++;
                out[i] = d.limitedTo(
                        null,
                        "hold: cluster-wide rate of " + settings.maxReplicasPerMinute()
                                + " replicas per minute used up; " + d.why());
                continue;
            }
            if (delta > left) {
                rateLimited++;
                int cut = d.current() + Integer.signum(d.next() - d.current()) * left;
                String arrow = d.current() + " → " + d.next() + " replicas";
                String rest = d.why().startsWith(arrow) ? d.why().substring(arrow.length()) : ": " + d.why();
                out[i] = d.limitedTo(
                        cut,
                        d.current() + " → " + cut + " replicas (cut from " + d.next() + " by the cluster-wide rate of "
                                + settings.maxReplicasPerMinute() + " replicas per minute)" + rest);
                delta = left;
            }
            ledger.record(delta, now);
        }
        return List.of(out);
    }

    /**
     * max(2 × period, upWindow / 4): the largest gap between two samples that still counts as covering the window.
     *
     * @param upWindow the up window
     * @param period   the controller's cycle period, &gt; 0
     */
    public static Duration defaultMaxGap(Duration upWindow, Duration period) {
        Duration twice = period.multipliedBy(2);
        Duration quarter = upWindow.dividedBy(4);
        return twice.compareTo(quarter) >= 0 ? twice : quarter;
    }

    /**
     * Forgets every window (the rate ledger stays): call when the controller stops deciding for a while — on a
     * freeze, on a thaw, and when it gains or loses the lease — so a scale-up needs a freshly spanned window.
     */
    public void reset() {
        windows.clear();
    }

    /** Forgets the windows of workloads not in {@code live}. */
    public void retain(Collection<WorkloadKey> live) {
        windows.keySet().retainAll(live instanceof java.util.Set<?> ? live : new HashSet<>(live));
    }

    /** @return how many changes the rate has cut or deferred so far */
    public long rateLimited() {
        return rateLimited;
    }

    /**
     * Adds {@code raw} at {@code now} to the workload's window, dropping what is no longer needed: everything older
     * than the newest sample at or before now − upWindow (which alone shows the window is spanned).
     */
    private ArrayDeque<Sample> record(WorkloadKey key, int raw, Instant now) {
        ArrayDeque<Sample> window = windows.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!window.isEmpty()
                && (now.isBefore(window.peekLast().at())
                        || Duration.between(window.peekLast().at(), now).compareTo(maxGap) > 0)) {
            window.clear(); // a gap (or time going back): the samples no longer cover the window
        }
        window.addLast(new Sample(now, raw));
        Instant start = now.minus(settings.upWindow());
        while (window.size() > 1) {
            Iterator<Sample> it = window.iterator();
            it.next();
            if (!it.next().at().isAfter(start)) {
                window.removeFirst(); // the second sample spans the window alone
            } else if (window.size() > MAX_WINDOW) {
                it.remove(); // trim past the first (spanning) sample, keeping it
            } else {
                break;
            }
        }
        return window;
    }

    /** {@code book} with change times later than now + {@link #FUTURE_SKEW} read as absent. */
    static Bookkeeping notInFuture(Bookkeeping book, Instant now) {
        Instant limit = now.plus(FUTURE_SKEW);
        boolean changed = book.changedAt() != null && book.changedAt().isAfter(limit);
        boolean request =
                book.requestChangedAt() != null && book.requestChangedAt().isAfter(limit);
        if (!changed && !request) {
            return book;
        }
        return new Bookkeeping(
                book.request(),
                book.set(),
                book.setFrom(),
                changed ? null : book.changedAt(),
                request ? null : book.requestChangedAt());
    }

    private static void addIndices(
            ReplicaDecision[] ds, ReplicaDecision.Direction dir, boolean reversed, List<Integer> order) {
        for (int k = 0; k < ds.length; k++) {
            int i = reversed ? ds.length - 1 - k : k;
            if (ds[i].direction() == dir && ds[i].next() != null) {
                order.add(i);
            }
        }
    }
}
