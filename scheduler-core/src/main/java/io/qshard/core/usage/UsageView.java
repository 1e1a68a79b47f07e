package io.qshard.core.usage;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The usage of each tier on one node, as the pools use it (docs/architecture.md, "The pools"). Immutable.
 *
 * <p>With a fresh report (no older than {@code staleAfter}): the tier's reported usage, plus, for every pod on the
 * node that is younger than one report interval or missing from the report, the part of
 * {@code estimate(pod) = max(observed, request × estimateFactor)} the report does not already hold. Without one:
 * the conservative view, usage(tier) = Σ requests of the tier's pods on the node. A pod's "request" here is its cpu
 * and memory whether asked as native resources or as the batch extended resources.
 *
 * @param conservative true when computed from requests (no report, or a stale one)
 * @param byTier       usage per tier name; {@value #OTHER} for pods of no tier (they count with prod)
 * @param batchCeiling the report's batch ceiling ({@link UsageReport#batchCeiling()}), or null
 * @param peaks        predicted peak usage per tier over the scheduling horizon (empty without predictions)
 */
public record UsageView(boolean conservative, Map<String, Usage> byTier, Usage batchCeiling, Map<String, Usage> peaks) {
    /** Key for pods that belong to no qshard tier. */
    public static final String OTHER = "other";

    /** @throws NullPointerException when byTier is null */
    public UsageView {
        byTier = Map.copyOf(byTier);
        peaks = Map.copyOf(peaks);
    }

    /** A view without a batch ceiling or predictions. */
    public UsageView(boolean conservative, Map<String, Usage> byTier) {
        this(conservative, byTier, null, Map.of());
    }

    /**
     * @param predicted predicted peak usage per tier over the scheduling horizon
     * @return this view with the predictions attached: a pool counts the tiers above it at their predicted peak
     *         (docs/architecture.md, "The pools": usage(tier) is the predicted peak, not the last sample) and its own tier's pods at their
     *         estimates; the conservative view is returned unchanged
     */
    public UsageView withPredictedPeaks(Map<String, Usage> predicted) {
        if (conservative || predicted.isEmpty()) {
            return this;
        }
        return new UsageView(false, byTier, batchCeiling, predicted);
    }

    /** @return the usage of {@code tier} (reported, plus the estimates of young or unreported pods), zero when none */
    public Usage of(String tier) {
        return byTier.getOrDefault(tier, Usage.ZERO);
    }

    /** @return the usage of {@code tier} raised to its predicted peak, where one is known */
    public Usage peakOf(String tier) {
        Usage p = peaks.get(tier);
        return p == null ? of(tier) : of(tier).max(p);
    }

    /**
     * How reported usage becomes the view ({@code PoolConfig#estimates()} gives the configured ones).
     *
     * @param staleAfter a report older than this is ignored: the node's view is its requests (conservative)
     * @param youngFor   a pod younger than this, or missing from the report, counts as max(observed, request × factor)
     * @param factor     the request multiplier of those estimates, &gt; 0
     */
    public record Estimates(Duration staleAfter, Duration youngFor, double factor) {}

    /**
     * Computes the view of one node.
     *
     * @param podsOnNode the pods bound or assumed on the node
     * @param report     the node's latest accepted report, or null
     * @param now        the scheduler's clock
     * @param config     staleness limit, how long a pod counts as young, estimate factor
     * @return the view
     */
    public static UsageView of(List<PodRequest> podsOnNode, UsageReport report, Instant now, Estimates config) {
        Map<String, Usage> byTier = new HashMap<>();
        boolean stale =
                report == null || Duration.between(report.timestamp(), now).compareTo(config.staleAfter()) > 0;
        if (stale) {
            for (PodRequest pod : podsOnNode) {
                byTier.merge(tierOf(pod), request(pod), Usage::plus);
            }
            return new UsageView(true, byTier, null, Map.of());
        }
        byTier.putAll(report.tiers());
        for (PodRequest pod : podsOnNode) {
            Usage observed = report.pods().get(pod.uid());
            boolean young = Duration.between(pod.creationTime(), now).compareTo(config.youngFor()) < 0;
            if (observed == null || young) {
                Usage seen = observed == null ? Usage.ZERO : observed;
                Usage estimate = seen.max(request(pod).times(config.factor()));
                byTier.merge(tierOf(pod), estimate.minusFloored(seen), Usage::plus);
            }
        }
        return new UsageView(false, byTier, report.batchCeiling(), Map.of());
    }

    private static String tierOf(PodRequest pod) {
        return pod.tier() == null ? OTHER : pod.tier();
    }

    /** cpu and memory a pod asks for, native or batch, saturated at {@link Long#MAX_VALUE}. */
    static Usage request(PodRequest pod) {
        Resources r = pod.requests();
        return new Usage(
                Saturating.add(r.milliCpu(), r.batchMilliCpu()), Saturating.add(r.memoryBytes(), r.batchMemoryBytes()));
    }
}
