package io.qshard.core.plugins.complementary;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.plugins.noderesources.TierCapacity;
import io.qshard.core.plugins.noderesources.TierResourceScorer;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: put cpu-heavy pods next to memory-heavy load and vice versa, so nodes fill on both resources.
 *
 * <pre>
 * pod skew  ps = (c − m) / (c + m)   with c = podCpu/capCpu, m = podMem/capMem       (−1 memory-heavy … +1 cpu-heavy)
 * node skew ns = usedCpu/capCpu − usedMem/capMem                                       (−1 … +1)
 * score     = round(50 × (1 − ps × ns)), clamped to [0, 100]
 * </pre>
 * A balanced pod or an empty (balanced) node scores 50 everywhere: no preference. Uses requests in the
 * tier's currency ({@link TierCapacity}).
 */
public final class ComplementaryProfile extends TierResourceScorer {
    public static final String NAME = "ComplementaryProfile";

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
        double invCpu = node.tierCapacityInverse(rule, 0);
        double invMem = node.tierCapacityInverse(rule, 1);
        if (invCpu == 0 || invMem == 0) {
            return MAX_SCORE / 2;
        }
        double c = podCpu * invCpu;
        double m = podMem * invMem;
        if (c + m == 0) {
            return MAX_SCORE / 2;
        }
        double ps = (c - m) / (c + m);
        double ns = node.tierUsed(rule, 0) * invCpu - node.tierUsed(rule, 1) * invMem;
        double score = 50 * (1 - ps * Math.max(-1, Math.min(1, ns)));
        return Math.max(0, Math.min(MAX_SCORE, Math.round(score)));
    }
}
