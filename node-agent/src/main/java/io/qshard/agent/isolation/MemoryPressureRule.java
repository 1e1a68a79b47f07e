package io.qshard.agent.isolation;

import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.kube.LocalPod;
import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory cannot be throttled, only taken back: when the node's memory usage passes {@code threshold} of its real
 * allocatable memory, besteffort pods are evicted — lowest priority first, then the largest working set — until what
 * they use brings the node back under it. A pod already asked to leave is not counted again for {@code settle}
 * (its memory is freed only once it stops). Not thread-safe: the agent's tick thread.
 */
public final class MemoryPressureRule {
    private final double threshold;
    private final Duration settle;
    private final Map<String, Instant> asked = new HashMap<>();

    /**
     * @param threshold fraction of real allocatable memory, (0, 1]
     * @param settle    how long an evicted pod's memory is assumed to be on its way out
     */
    public MemoryPressureRule(double threshold, Duration settle) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("memory threshold must be in (0, 1], was " + threshold);
        }
        this.threshold = threshold;
        this.settle = settle;
    }

    /**
     * @param nodeMemoryBytes  node memory in use
     * @param allocatableBytes the node's real allocatable memory
     * @param pods             the node's pods
     * @param usage            working set per pod uid
     * @param now              the agent's clock
     * @return the pods to evict now (possibly none)
     */
    public List<LocalPod> check(
            long nodeMemoryBytes, long allocatableBytes, List<LocalPod> pods, Map<String, Usage> usage, Instant now) {
        asked.values().removeIf(t -> Duration.between(t, now).compareTo(settle) > 0);
        long limit = (long) (threshold * allocatableBytes);
        long leaving = 0;
        for (String uid : asked.keySet()) {
            leaving += usage.getOrDefault(uid, Usage.ZERO).memoryBytes();
        }
        long excess = nodeMemoryBytes - leaving - limit;
        if (excess <= 0) {
            return List.of();
        }
        List<LocalPod> candidates = pods.stream()
                .filter(p -> p.qos() == QosClass.BESTEFFORT && !p.terminating() && !asked.containsKey(p.uid()))
                .sorted(Comparator.comparingInt(LocalPod::priority)
                        .thenComparing(
                                p -> -usage.getOrDefault(p.uid(), Usage.ZERO).memoryBytes()))
                .toList();
        List<LocalPod> victims = new ArrayList<>();
        for (LocalPod p : candidates) {
            if (excess <= 0) {
                break;
            }
            victims.add(p);
            asked.put(p.uid(), now);
            excess -= usage.getOrDefault(p.uid(), Usage.ZERO).memoryBytes();
        }
        return victims;
    }
}
