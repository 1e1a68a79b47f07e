package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes with more of the tier's capacity left after placing the pod (spreading).
 * score = mean over cpu, memory of (capacity − used − request) / capacity × 100, each clamped to [0, 100];
 * a resource with zero capacity scores 0.
 */
public final class LeastAllocated implements ScorePlugin {
    public static final String NAME = "LeastAllocated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = score(state, pod, nodes[k]); // monomorphic here: see ScorePlugin#scoreAll
        }
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        long sum = 0;
        for (int r = 0; r < 2; r++) {
            long cap = TierCapacity.capacity(pod.poolRule(), node, r);
            if (cap <= 0) {
                continue;
            }
            long left = cap - TierCapacity.used(pod.poolRule(), node, r) - TierCapacity.request(pod, r);
            sum += Math.max(0, Math.min(MAX_SCORE, left * MAX_SCORE / cap));
        }
        return sum / 2;
    }
}
