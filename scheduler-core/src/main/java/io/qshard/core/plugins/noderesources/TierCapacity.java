package io.qshard.core.plugins.noderesources;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;

/**
 * The currency a tier's scoring is measured in (index 0 cpu, 1 memory): prod counts its own and foreign
 * requests against real allocatable; mid all native requests against reported allocatable; batch and free
 * the batch extended resources against what the node advertises. The kube-scheduler scorers (LeastAllocated,
 * BalancedAllocation) count non-zero requests ({@link #nonZeroUsed}, {@link #nonZeroRequest}): in the native tiers a
 * container without a request counts 100m / 200 MiB, as kube-scheduler 1.20's {@code NonZeroRequested}; the batch
 * currency has no such default (batch pods state their batch request). Stateless and thread-safe.
 */
public final class TierCapacity {
    private TierCapacity() {}

    /** Capacity of resource {@code r} in the tier's currency. */
    public static long capacity(PoolRule rule, NodeState node, int r) {
        return node.tierCapacity(rule, r);
    }

    /** Requests already on the node for resource {@code r}, in the tier's currency. */
    public static long used(PoolRule rule, NodeState node, int r) {
        return node.tierUsed(rule, r);
    }

    /** Non-zero requests already on the node for resource {@code r}, in the tier's currency. */
    public static long nonZeroUsed(PoolRule rule, NodeState node, int r) {
        return node.nonZeroUsed(rule, r);
    }

    /**
     * The pod's non-zero request of resource {@code r} in its tier's currency: {@link PodRequest#nonZeroRequest} for
     * the native tiers, the batch request for batch and free.
     */
    public static long nonZeroRequest(PodRequest pod, int r) {
        boolean batch = pod.poolRule().requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED;
        if (batch) {
            return r == 0 ? pod.requests().batchMilliCpu() : pod.requests().batchMemoryBytes();
        }
        return pod.nonZeroRequest(r);
    }

    /** The pod's own request of resource {@code r}, in its tier's currency. */
    public static long request(PodRequest pod, int r) {
        boolean batch = pod.poolRule().requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED;
        if (batch) {
            return r == 0 ? pod.requests().batchMilliCpu() : pod.requests().batchMemoryBytes();
        }
        return r == 0 ? pod.requests().milliCpu() : pod.requests().memoryBytes();
    }
}
