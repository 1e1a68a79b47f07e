package io.qshard.core.plugins.noderesources;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: prefer nodes with more of the tier's capacity left after placing the pod (spreading), with kube-scheduler
 * 1.20's formula ({@code least_allocated.go}, resources cpu and memory, weight 1 each), in integers:
 *
 * <pre>
 * requested(r) = Σ non-zero requests on the node + the pod's non-zero request      ({@link TierCapacity#nonZeroUsed})
 * score(r)     = (capacity − requested) × 100 / capacity,   0 when capacity is 0 or requested &gt; capacity
 * score        = (score(cpu) + score(memory)) / 2
 * </pre>
 * "Non-zero": a container without a cpu (memory) request counts 100m (200 MiB), as kube-scheduler's
 * {@code NonZeroRequested}; the batch and free tiers count their batch requests. Capacity and requests are in the
 * tier's currency ({@link TierCapacity}; for prod, real allocatable, which is kube's allocatable without oversale).
 * The division is exact but done with the node's precomputed {@code 1 / capacity} and one integer correction: no
 * integer divide per node. Requests are summed saturating at {@link Long#MAX_VALUE}; a capacity above
 * {@code Long.MAX_VALUE / 100} (9.2 × 10^16 milli-cores or bytes, where kube's int64 product overflows) is scored in
 * double, within one point of the exact quotient: every score is in [0, 100].
 */
public final class LeastAllocated extends TierResourceScorer {
    public static final String NAME = "LeastAllocated";

    public LeastAllocated() {
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
        return (resourceScore(rule, node, 0, podCpu) + resourceScore(rule, node, 1, podMem)) / 2;
    }

    private static long resourceScore(PoolRule rule, NodeState node, int r, long request) {
        return leastRequestedScore(
                Saturating.add(node.nonZeroUsed(rule, r), request),
                node.tierCapacity(rule, r),
                node.tierCapacityInverse(rule, r));
    }

    /**
     * kube-scheduler's {@code leastRequestedScore}: {@code (capacity − requested) × 100 / capacity} in integer
     * arithmetic, 0 when capacity ≤ 0 or requested &gt; capacity; for a capacity above {@code Long.MAX_VALUE / 100}
     * the double quotient, within 1 of the exact one, at most 100.
     *
     * @param inverse {@code 1.0 / capacity} (the quotient from it is within 1 of the exact one, then corrected)
     */
    static long leastRequestedScore(long requested, long capacity, double inverse) {
        if (capacity <= 0 || requested > capacity) {
            return 0;
        }
        if (capacity > Long.MAX_VALUE / MAX_SCORE) { // (capacity − requested) × 100 would overflow
            return Math.min(MAX_SCORE, (long) ((double) (capacity - requested) * MAX_SCORE / capacity));
        }
        long num = (capacity - requested) * MAX_SCORE;
        long q = (long) (num * inverse);
        long remainder = num - q * capacity; // q ≤ 100: no overflow (the old "(q + 1) × capacity" could)
        if (remainder < 0) {
            q--;
        } else if (remainder >= capacity) {
            q++;
        }
        return q;
    }
}
