package io.qshard.shard.simulate;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageView;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the simulator reports for one node at one instant: the background (prod) load from the node's trace,
 * spread over its prod pods in proportion to their requests, and every other pod's {@code request × utilisation}.
 * Pure: computed from the node's state, the load fractions and the utilisation model.
 *
 * @param node   whole-node usage (the sum of the tiers)
 * @param byTier usage per tier ({@value UsageView#OTHER} for pods of no tier)
 * @param byPod  usage per pod uid
 */
public record NodeUsageFigures(Usage node, Map<String, Usage> byTier, Map<String, Usage> byPod) {

    /**
     * @param state         the node and its pods
     * @param cpuLoad       the trace's cpu load now, fraction of the node's real allocatable cpu
     * @param memoryLoad    the trace's memory load now, fraction of its real allocatable memory
     * @param utilisation   the per-pod model for pods of the other tiers
     * @return the figures
     */
    public static NodeUsageFigures of(NodeState state, double cpuLoad, double memoryLoad, PodUtilisation utilisation) {
        long prodCpu = Math.round(cpuLoad * state.realAllocatable(NodeState.CPU));
        long prodMemory = Math.round(memoryLoad * state.realAllocatable(NodeState.MEMORY));
        Map<String, Usage> byTier = new LinkedHashMap<>();
        byTier.put("prod", new Usage(Math.max(0, prodCpu), Math.max(0, prodMemory)));
        Map<String, Usage> byPod = new HashMap<>();
        long prodRequestCpu = 0;
        long prodRequestMemory = 0;
        for (PodRequest p : state.pods()) {
            if (isProd(p)) {
                prodRequestCpu += p.requests().milliCpu();
                prodRequestMemory += p.requests().memoryBytes();
            }
        }
        for (PodRequest p : state.pods()) {
            Resources r = p.requests();
            Usage u;
            if (isProd(p)) {
                u = new Usage(share(prodCpu, r.milliCpu(), prodRequestCpu), share(prodMemory, r.memoryBytes(), prodRequestMemory));
            } else {
                u = new Usage(r.milliCpu() + r.batchMilliCpu(), r.memoryBytes() + r.batchMemoryBytes())
                        .times(utilisation.of(p.uid()));
                byTier.merge(p.tier() == null ? UsageView.OTHER : p.tier(), u, Usage::plus);
            }
            byPod.put(p.uid(), u);
        }
        Usage node = byTier.values().stream().reduce(Usage.ZERO, Usage::plus);
        return new NodeUsageFigures(node, byTier, byPod);
    }

    private static boolean isProd(PodRequest p) {
        return "prod".equals(p.tier());
    }

    private static long share(long total, long part, long whole) {
        return whole <= 0 ? 0 : Math.max(0, Math.round((double) total * part / whole));
    }
}
