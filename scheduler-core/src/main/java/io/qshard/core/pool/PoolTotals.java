package io.qshard.core.pool;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/**
 * A tier's pool summed over the nodes of a snapshot — what the metrics endpoint reports per tier. Every figure is in
 * milli-cores (cpu) or bytes (memory), in the units the tier measures in ({@link NodeState#tierCapacity}): real
 * allocatable for prod, reported allocatable for mid, the advertised batch resources for batch and free. Sums saturate
 * at {@link Long#MAX_VALUE} ({@link Saturating}) instead of wrapping around.
 *
 * @param capacityMilliCpu   Σ the tier's capacity, cpu
 * @param capacityMemory     Σ the tier's capacity, memory
 * @param requestedMilliCpu  Σ the requests that count against that capacity ({@link NodeState#tierUsed}), cpu
 * @param requestedMemory    the same, memory
 * @param usageMilliCpu      Σ the usage of the tier's own pods ({@link NodeState#usageOf}: reported, else requests), cpu
 * @param usageMemory        the same, memory
 * @param roomMilliCpu       Σ room for one more pod of the tier ({@link NodeRoom#room}), negative rooms counted as 0, cpu
 * @param roomMemory         the same, memory
 * @param nodes              nodes summed
 */
public record PoolTotals(
        long capacityMilliCpu,
        long capacityMemory,
        long requestedMilliCpu,
        long requestedMemory,
        long usageMilliCpu,
        long usageMemory,
        long roomMilliCpu,
        long roomMemory,
        int nodes) {

    /** Sums {@code rule}'s pool over every node of {@code snapshot}; O(nodes), allocation-free per node. Pure. */
    public static PoolTotals of(ClusterSnapshot snapshot, PoolRule rule, NodeRoom room) {
        boolean batch = rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED;
        int cpu = batch ? NodeState.BATCH_CPU : NodeState.CPU;
        int memory = batch ? NodeState.BATCH_MEMORY : NodeState.MEMORY;
        long[] t = new long[8];
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState n = snapshot.node(i);
            add(t, 0, n.tierCapacity(rule, 0));
            add(t, 1, n.tierCapacity(rule, 1));
            add(t, 2, n.tierUsed(rule, 0));
            add(t, 3, n.tierUsed(rule, 1));
            add(t, 4, n.usageOf(rule, 0));
            add(t, 5, n.usageOf(rule, 1));
            add(t, 6, Math.max(0, room.room(rule, n, cpu)));
            add(t, 7, Math.max(0, room.room(rule, n, memory)));
        }
        return new PoolTotals(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], snapshot.size());
    }

    private static void add(long[] t, int i, long v) {
        t[i] = Saturating.add(t[i], v);
    }
}
