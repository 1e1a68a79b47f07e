package io.qshard.core.usage;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A node's usage per accounting class ({@link PoolRule}) as the pools read it: built from a {@link UsageView} when a
 * report arrives, then kept current between reports — a pod assumed or bound afterwards is young by definition and
 * adds {@code request × estimateFactor} to its class at once (so two placements in one cycle see each other), and
 * removing such a pod takes exactly that back. Pods that were in the report stay in the figures until the next one
 * (the conservative direction). Each class has two figures: {@link #used} (its pods' estimates — what the class's own
 * pool subtracts) and {@link #peak} (raised to the predicted peaks — what the pools of lower tiers subtract).
 * Figures saturate at {@link Long#MAX_VALUE} instead of wrapping around; a figure that reached it stays there when a
 * pod is removed (what was lost in the clamp is not known) until the next report rebuilds the figures — the
 * conservative direction: the node looks full, never emptier than it is. Immutable and thread-safe.
 */
public final class ClassUsage {
    private static final int CLASSES = PoolRule.values().length;

    private final long[] used; // [2 × class + r], r: 0 cpu, 1 memory
    private final long[] peak; // the same, each tier raised to its predicted peak
    private final Map<String, Usage> addedSinceReport;
    private final double estimateFactor;
    private final Usage batchCeiling;

    private ClassUsage(
            long[] used, long[] peak, Map<String, Usage> addedSinceReport, double estimateFactor, Usage batchCeiling) {
        this.used = used;
        this.peak = peak;
        this.addedSinceReport = addedSinceReport;
        this.estimateFactor = estimateFactor;
        this.batchCeiling = batchCeiling;
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
        long[] peak = new long[2 * CLASSES];
        java.util.Set<String> tiers = new java.util.HashSet<>(view.byTier().keySet());
        tiers.addAll(view.peaks().keySet());
        for (String tier : tiers) {
            PoolRule rule = classOfTier.apply(tier);
            int k = (rule == null ? PoolRule.ALLOCATABLE : rule).ordinal();
            Usage u = view.of(tier);
            Usage p = view.peakOf(tier);
            used[2 * k] = Saturating.add(used[2 * k], u.milliCpu());
            used[2 * k + 1] = Saturating.add(used[2 * k + 1], u.memoryBytes());
            peak[2 * k] = Saturating.add(peak[2 * k], p.milliCpu());
            peak[2 * k + 1] = Saturating.add(peak[2 * k + 1], p.memoryBytes());
        }
        return new ClassUsage(used, peak, Map.of(), estimateFactor, view.batchCeiling());
    }

    /**
     * @return the usage of class {@code rule} raised to its tiers' predicted peaks (what the pools below count it at),
     *         resource {@code r} (0 cpu in milli-cores, 1 memory in bytes); {@link #used} without predictions
     */
    public long peak(PoolRule rule, int r) {
        return peak[2 * rule.ordinal() + r];
    }

    /**
     * @param r 0 cpu (milli-cores), 1 memory (bytes)
     * @return the most batch and free pods may request together on the node, as its reporter published it;
     *         {@link Long#MAX_VALUE} when it published none
     */
    public long batchCeiling(int r) {
        if (batchCeiling == null) {
            return Long.MAX_VALUE;
        }
        return r == 0 ? batchCeiling.milliCpu() : batchCeiling.memoryBytes();
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
        return new ClassUsage(
                shift(used, pod.poolRule(), estimate, 1),
                shift(peak, pod.poolRule(), estimate, 1),
                Map.copyOf(added),
                estimateFactor,
                batchCeiling);
    }

    /** @return these figures without the estimate of a pod placed since the report; unchanged for other pods */
    public ClassUsage withRemoved(PodRequest pod) {
        Usage estimate = addedSinceReport.get(pod.uid());
        if (estimate == null) {
            return this;
        }
        Map<String, Usage> added = new HashMap<>(addedSinceReport);
        added.remove(pod.uid());
        return new ClassUsage(
                shift(used, pod.poolRule(), estimate, -1),
                shift(peak, pod.poolRule(), estimate, -1),
                Map.copyOf(added),
                estimateFactor,
                batchCeiling);
    }

    private static long[] shift(long[] figures, PoolRule rule, Usage u, int sign) {
        long[] copy = figures.clone();
        copy[2 * rule.ordinal()] = shift(copy[2 * rule.ordinal()], u.milliCpu(), sign);
        copy[2 * rule.ordinal() + 1] = shift(copy[2 * rule.ordinal() + 1], u.memoryBytes(), sign);
        return copy;
    }

    /** figure ± amount, saturated; a figure at {@link Long#MAX_VALUE} may have been clamped and stays there. */
    private static long shift(long figure, long amount, int sign) {
        if (sign > 0) {
            return Saturating.add(figure, amount);
        }
        return figure == Long.MAX_VALUE ? figure : Math.max(0, figure - amount);
    }
}
