package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes whose cpu and memory fractions stay close after placing the pod (as kube-scheduler's
 * BalancedAllocation): f = (used + request) / capacity per resource; score = (1 − |f_cpu − f_mem| / 2) × 100;
 * 0 when either fraction reaches 1 or a capacity is 0.
 */
public final class BalancedAllocation extends TierResourceScorer {
    public static final String NAME = "BalancedAllocation";

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
        double cpu = fraction(rule, node, 0, podCpu);
        double mem = fraction(rule, node, 1, podMem);
        if (cpu >= 1 || mem >= 1 || cpu < 0 || mem < 0) {
            return 0;
        }
        return (long) ((1 - Math.abs(cpu - mem) / 2) * MAX_SCORE + 1e-9);
    }

    private static double fraction(PoolRule rule, NodeState node, int r, long request) {
        double inv = node.tierCapacityInverse(rule, r);
        if (inv == 0) {
            return 1;
        }
        return (node.tierUsed(rule, r) + request) * inv;
    }
}
