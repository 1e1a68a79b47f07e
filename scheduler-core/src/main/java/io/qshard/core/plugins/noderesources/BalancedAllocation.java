package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes whose cpu and memory fractions stay close after placing the pod, with kube-scheduler 1.20's
 * formula ({@code balanced_allocation.go}, {@code resource_allocation.go}; its volume variant is behind a feature gate
 * that is off by default):
 *
 * <pre>
 * requested(r) = Σ non-zero requests on the node + the pod's non-zero request      ({@link TierCapacity#nonZeroUsed})
 * fraction(r)  = requested / capacity  (float64),   1 when capacity is 0
 * score        = int64((1 − |fraction(cpu) − fraction(memory)|) × 100),   0 when either fraction ≥ 1
 * </pre>
 * "Non-zero": a container without a cpu (memory) request counts 100m (200 MiB), as kube-scheduler's
 * {@code NonZeroRequested}; the batch and free tiers count their batch requests. Capacity and requests are in the
 * tier's currency ({@link TierCapacity}; for prod, real allocatable, which is kube's allocatable without oversale).
 * kube-scheduler 1.20's {@code calculatePodResourceRequest} adds a pod's cpu overhead as {@code quantity.Value()}
 * (whole cores, not milli-cores: a unit bug of that version); qshard counts the overhead in milli-cores, as the node's
 * {@code NonZeroRequested} does, and so differs from 1.20 for pods with a cpu overhead.
 *
 * <p>The fractions are computed with the node's precomputed {@code 1 / capacity}; when the score lands within 1e-9 of
 * an integer, where that could truncate differently from kube's divisions, it is redone with the divisions. Amounts
 * are exact below 2^53 (8 PiB); requests are summed saturating at {@link Long#MAX_VALUE}, so a node whose pods ask
 * more than a long holds scores 0, never a wrapped-around fraction.
 */
public final class BalancedAllocation extends TierResourceScorer {
    public static final String NAME = "BalancedAllocation";
    /** Scores this close to an integer are recomputed exactly; the fast path is off by ~1e-13 at most. */
    private static final double EDGE = 1e-9;

    public BalancedAllocation() {
        super(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        PoolRule rule = pod.poolRule(); // this loop is repeated per scorer on purpose: see TierResourceScorer
        long cpu = TierCapacity.nonZeroRequest(pod, 0);
        long mem = TierCapacity.nonZeroRequest(pod, 1);
        for (int k = 0; k < count; k++) {
            out[k] = score(rule, nodes[k], cpu, mem);
        }
    }

    @Override
    protected long score(PoolRule rule, NodeState node, long podCpu, long podMem) {
        long capCpu = node.tierCapacity(rule, 0);
        long capMem = node.tierCapacity(rule, 1);
        long reqCpu = Saturating.add(node.nonZeroUsed(rule, 0), podCpu);
        long reqMem = Saturating.add(node.nonZeroUsed(rule, 1), podMem);
        if (capCpu <= 0 || capMem <= 0 || reqCpu >= capCpu || reqMem >= capMem) {
            return 0; // a fraction ≥ 1 (capacity 0 reads as fraction 1)
        }
        double cpu = reqCpu * node.tierCapacityInverse(rule, 0);
        double mem = reqMem * node.tierCapacityInverse(rule, 1);
        double s = (1 - Math.abs(cpu - mem)) * MAX_SCORE;
        long floor = (long) s;
        double frac = s - floor;
        return frac < EDGE || frac > 1 - EDGE ? exact(reqCpu, capCpu, reqMem, capMem) : floor;
    }

    /** kube-scheduler's computation, divisions and all, for 0 &lt; capacity and requested &lt; capacity. */
    static long exact(long reqCpu, long capCpu, long reqMem, long capMem) {
        double cpu = (double) reqCpu / (double) capCpu;
        double mem = (double) reqMem / (double) capMem;
        if (cpu >= 1 || mem >= 1) {
            return 0;
        }
        return (long) ((1 - Math.abs(cpu - mem)) * MAX_SCORE);
    }
}
