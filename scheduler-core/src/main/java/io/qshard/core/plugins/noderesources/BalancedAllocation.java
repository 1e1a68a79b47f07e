package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes whose cpu and memory fractions stay close after placing the pod (as kube-scheduler's
 * BalancedAllocation): f = (used + request) / capacity per resource; score = (1 − |f_cpu − f_mem| / 2) × 100;
 * 0 when either fraction reaches 1 or a capacity is 0.
 */
public final class BalancedAllocation implements ScorePlugin {
    public static final String NAME = "BalancedAllocation";

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
        double cpu = fraction(pod, node, 0);
        double mem = fraction(pod, node, 1);
        if (cpu >= 1 || mem >= 1 || cpu < 0 || mem < 0) {
            return 0;
        }
        return (long) ((1 - Math.abs(cpu - mem) / 2) * MAX_SCORE + 1e-9);
    }

    private static double fraction(PodRequest pod, NodeState node, int r) {
        double inv = node.tierCapacityInverse(pod.poolRule(), r);
        if (inv == 0) {
            return 1;
        }
        return (TierCapacity.used(pod.poolRule(), node, r) + TierCapacity.request(pod, r)) * inv;
    }
}
