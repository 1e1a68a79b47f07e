package io.qshard.core.replicas;

import io.qshard.core.model.PoolRule;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/**
 * The net pool of each borrowing class over a snapshot, per native resource (docs/architecture.md, "Replica
 * hosting"):
 *
 * <pre>
 * N(c, r) = Σ_n ( usable(n) ? pool(c, n, r) : min(0, pool(c, n, r)) )      usable = schedulable and not hot
 * band(r) = hysteresis × Σ_{usable n} realAllocatable(n, r)
 * </pre>
 *
 * Mutable, confined to one thread (the planner's).
 */
public final class PoolBalance {
    /**
     * The figures of one class, for metrics and status. Cpu in milli-cores, memory in bytes.
     *
     * @param netCpu    N(c, cpu)
     * @param netMemory N(c, memory)
     * @param bandCpu   band(cpu)
     * @param bandMemory band(memory)
     */
    public record Figures(long netCpu, long netMemory, long bandCpu, long bandMemory) {}

    /** Computes every class's N and the bands over {@code snapshot}. */
    public PoolBalance(ClusterSnapshot snapshot, NodeRoom room, double hysteresis) {
        throw new UnsupportedOperationException("TODO");
    }

    /** N(c, r): r = 0 cpu, 1 memory. */
    public long net(PoolRule rule, int r) {
        throw new UnsupportedOperationException("TODO");
    }

    /** band(r): r = 0 cpu, 1 memory. */
    public long band(int r) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Updates N for a node that changed from {@code before} to {@code after} (a virtual replica placed). O(1). */
    public void replaced(NodeState before, NodeState after) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The figures of {@code rule}. */
    public Figures figures(PoolRule rule) {
        throw new UnsupportedOperationException("TODO");
    }
}
