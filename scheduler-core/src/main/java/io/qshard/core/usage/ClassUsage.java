package io.qshard.core.usage;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A node's usage per accounting class ({@link PoolRule}) as the pools read it: built from a {@link UsageView} when a
 * report arrives, then kept current between reports — a pod assumed or bound afterwards is young by definition and
 * adds {@code request × estimateFactor} to its class at once (so two placements in one cycle see each other), and
 * removing such a pod takes exactly that back. Pods that were in the report stay in the figures until the next one
 * (the conservative direction). Immutable and thread-safe.
 */
public final class ClassUsage {
    private static final int CLASSES = PoolRule.values().length;

    private final long[] used; // [2 × class + r], r: 0 cpu, 1 memory
    private final Map<String, Usage> addedSinceReport;
    private final double estimateFactor;

    private ClassUsage(long[] used, Map<String, Usage> addedSinceReport, double estimateFactor) {
        this.used = used;
        this.addedSinceReport = addedSinceReport;
        this.estimateFactor = estimateFactor;
    }

    /**
     * @param view           the node's usage per tier
     * @param classOfTier    the accounting class of a tier name ({@link UsageView#OTHER} must map to
     *                       {@link PoolRule#ALLOCATABLE}); unknown tiers count as {@link PoolRule#ALLOCATABLE}
     * @param estimateFactor young pods count as request × this
     * @return the figures
     */
    public static ClassUsage of(UsageView view, Function<String, PoolRule> classOfTier, double estimateFactor) {
        long[] used = new long[2 * CLASSES];
        view.byTier().forEach((tier, u) -> {
            PoolRule rule = classOfTier.apply(tier);
            int k = (rule == null ? PoolRule.ALLOCATABLE : rule).ordinal();
            used[2 * k] += u.milliCpu();
            used[2 * k + 1] += u.memoryBytes();
        });
        return new ClassUsage(used, Map.of(), estimateFactor);
    }

    /** @return the usage of class {@code rule}, resource {@code r} (0 cpu in milli-cores, 1 memory in bytes) */
    public long used(PoolRule rule, int r) {
        return used[2 * rule.ordinal() + r];
    }

    /** @return these figures with a newly placed pod's estimate added (idempotent per uid) */
    public ClassUsage withPlaced(PodRequest pod) {
        if (addedSinceReport.containsKey(pod.uid())) {
            return this;
        }
        Usage estimate = UsageView.request(pod).times(estimateFactor);
        Map<String, Usage> added = new HashMap<>(addedSinceReport);
        added.put(pod.uid(), estimate);
        return new ClassUsage(shift(pod.poolRule(), estimate, 1), Map.copyOf(added), estimateFactor);
    }

    /** @return these figures without the estimate of a pod placed since the report; unchanged for other pods */
    public ClassUsage withRemoved(PodRequest pod) {
        Usage estimate = addedSinceReport.get(pod.uid());
        if (estimate == null) {
            return this;
        }
        Map<String, Usage> added = new HashMap<>(addedSinceReport);
        added.remove(pod.uid());
        return new ClassUsage(shift(pod.poolRule(), estimate, -1), Map.copyOf(added), estimateFactor);
    }

    private long[] shift(PoolRule rule, Usage u, int sign) {
        long[] copy = used.clone();
        copy[2 * rule.ordinal()] += sign * u.milliCpu();
        copy[2 * rule.ordinal() + 1] += sign * u.memoryBytes();
        return copy;
    }
}
