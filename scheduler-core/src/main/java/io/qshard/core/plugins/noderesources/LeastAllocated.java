package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes with more of the tier's capacity left after placing the pod (spreading).
 * score = mean over cpu, memory of (capacity − used − request) / capacity × 100, each clamped to [0, 100];
 * a resource with zero capacity scores 0.
 */
public final class LeastAllocated extends TierResourceScorer {
    public static final String NAME = "LeastAllocated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        PoolRule rule = pod.poolRule(); // this loop is repeated per scorer on purpose: see TierResourceScorer
        long cpu = TierCapacity.request(pod, 0);
        long mem = TierCapacity.request(pod, 1);
        for (int k = 0; k < count; k++) {
            out[k] = score(rule, nodes[k], cpu, mem);
        }
    }

    @Override
    protected long score(PoolRule rule, NodeState node, long podCpu, long podMem) {
        return (share(rule, node, 0, podCpu) + share(rule, node, 1, podMem)) / 2;
    }

    /** (capacity − used − request) / capacity × 100 in [0, 100]; 0 without capacity. The 1e-9 undoes rounding below an integer. */
    private static long share(PoolRule rule, NodeState node, int r, long request) {
        double inv = node.tierCapacityInverse(rule, r);
        if (inv == 0) {
            return 0;
        }
        long left = node.tierCapacity(rule, r) - node.tierUsed(rule, r) - request;
        return Math.max(0, Math.min(MAX_SCORE, (long) (left * inv * MAX_SCORE + 1e-9)));
    }
}
