package io.qshard.simulator;

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
     * @param cpuLoad       the trace's cpu load now, fraction of the node's real allocatable cpu; capped at what the
     *                      node's prod pods request (they are Guaranteed: limits = requests) when it has any
     * @param memoryLoad    the trace's memory load now, fraction of its real allocatable memory; capped likewise
     * @param utilisation   the per-pod model for pods of the other tiers
     * @return the figures
     */
    public static NodeUsageFigures of(NodeState state, double cpuLoad, double memoryLoad, PodUtilisation utilisation) {
        long prodRequestCpu = 0;
        long prodRequestMemory = 0;
        for (PodRequest p : state.pods()) {
            if (isProd(p)) {
                prodRequestCpu += p.requests().milliCpu();
                prodRequestMemory += p.requests().memoryBytes();
            }
        }
        // prod pods are Guaranteed (limits = requests): together they cannot use more than they requested
        long prodCpu = Math.max(0, Math.round(cpuLoad * state.realAllocatable(NodeState.CPU)));
        long prodMemory = Math.max(0, Math.round(memoryLoad * state.realAllocatable(NodeState.MEMORY)));
        if (prodRequestCpu > 0) {
            prodCpu = Math.min(prodCpu, prodRequestCpu);
            prodMemory = Math.min(prodMemory, prodRequestMemory);
        }
        Map<String, Usage> byTier = new LinkedHashMap<>();
        byTier.put("prod", new Usage(prodCpu, prodMemory));
        Map<String, Usage> byPod = new HashMap<>();
        for (PodRequest p : state.pods()) {
            Resources r = p.requests();
            Usage u;
            if (isProd(p)) {
                u = new Usage(
                        share(prodCpu, r.milliCpu(), prodRequestCpu),
                        share(prodMemory, r.memoryBytes(), prodRequestMemory));
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

    /**
     * These figures as the node agent's isolation leaves them: the besteffort pods (batch and free) together use at
     * most {@code boxMilli} of cpu, each scaled down in proportion to its demand (they share the box with equal cpu
     * weight); memory is not throttled.
     *
     * @param state    the node and its pods (to tell besteffort pods by their class)
     * @param boxMilli the besteffort box, ≥ 0
     * @return the throttled figures, or these when the demand fits in the box
     */
    public NodeUsageFigures throttled(NodeState state, long boxMilli) {
        long demand = 0;
        for (PodRequest p : state.pods()) {
            if (isBestEffort(p) && byPod.containsKey(p.uid())) {
                demand += byPod.get(p.uid()).milliCpu();
            }
        }
        if (demand <= boxMilli) {
            return this;
        }
        double scale = demand == 0 ? 0 : (double) Math.max(0, boxMilli) / demand;
        Map<String, Usage> pods = new HashMap<>(byPod);
        Map<String, Usage> tiers = new LinkedHashMap<>(byTier);
        for (PodRequest p : state.pods()) {
            Usage u = byPod.get(p.uid());
            if (u == null || !isBestEffort(p)) {
                continue;
            }
            Usage cut = new Usage((long) Math.floor(u.milliCpu() * scale), u.memoryBytes());
            pods.put(p.uid(), cut);
            String tier = p.tier() == null ? UsageView.OTHER : p.tier();
            Usage t = tiers.get(tier);
            tiers.put(tier, new Usage(Math.max(0, t.milliCpu() - u.milliCpu() + cut.milliCpu()), t.memoryBytes()));
        }
        Usage node = tiers.values().stream().reduce(Usage.ZERO, Usage::plus);
        return new NodeUsageFigures(node, tiers, pods);
    }

    /** @return the cpu of the tiers drawing on {@code classes} (prod + other, or mid), from these figures */
    public long cpuOf(java.util.function.Predicate<String> tiers) {
        long sum = 0;
        for (Map.Entry<String, Usage> e : byTier.entrySet()) {
            if (tiers.test(e.getKey())) {
                sum += e.getValue().milliCpu();
            }
        }
        return sum;
    }

    private static boolean isBestEffort(PodRequest p) {
        return p.poolRule() == io.qshard.core.model.PoolRule.BATCH_POOL
                || p.poolRule() == io.qshard.core.model.PoolRule.FREE_POOL;
    }

    private static boolean isProd(PodRequest p) {
        return "prod".equals(p.tier());
    }

    private static long share(long total, long part, long whole) {
        return whole <= 0 ? 0 : Math.max(0, Math.round((double) total * part / whole));
    }
}
