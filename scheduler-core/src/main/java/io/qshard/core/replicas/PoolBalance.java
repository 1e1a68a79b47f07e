package io.qshard.core.replicas;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.EnumMap;

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

    private static final PoolRule[] BORROWING = {PoolRule.MID_POOL, PoolRule.BATCH_POOL, PoolRule.FREE_POOL};

    private final NodeRoom room;
    /** rule → [N(rule, cpu), N(rule, memory)]; prod stays 0 (not a borrowing class). */
    private final EnumMap<PoolRule, long[]> net = new EnumMap<>(PoolRule.class);

    private final long[] band = new long[2];

    /**
     * Computes every class's N and the bands over {@code snapshot}.
     *
     * @param hysteresis the band's share of the usable nodes' real allocatable, in [0, 0.5]
     */
    public PoolBalance(ClusterSnapshot snapshot, NodeRoom room, double hysteresis) {
        this.room = room;
        for (PoolRule rule : PoolRule.values()) {
            net.put(rule, new long[2]);
        }
        long[] usableAllocatable = new long[2];
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState n = snapshot.node(i);
            add(n, 1);
            if (usable(n)) {
                for (int r = 0; r < 2; r++) {
                    usableAllocatable[r] = Saturating.add(usableAllocatable[r], n.realAllocatable(r));
                }
            }
        }
        for (int r = 0; r < 2; r++) {
            band[r] = Math.round(hysteresis * usableAllocatable[r]);
        }
    }

    /**
     * Whether a node's room counts toward the net pools: schedulable and not hot ({@link NodeState#hot()}: hot or
     * predicted hot, what AvoidHotNodes keeps the borrowing tiers off). An unusable node counts only when over.
     */
    public static boolean usable(NodeState node) {
        return !node.unschedulable() && !node.hot();
    }

    /** N(c, r): r = 0 cpu, 1 memory; milli-cores or bytes, negative when the class is over. */
    public long net(PoolRule rule, int r) {
        return net.get(rule)[r];
    }

    /** band(r): r = 0 cpu, 1 memory; milli-cores or bytes, ≥ 0. */
    public long band(int r) {
        return band[r];
    }

    /**
     * Updates N for a node that changed from {@code before} to {@code after} (a virtual replica placed). O(1). The
     * band stays as it is: placing a pod changes no node's usability.
     */
    public void replaced(NodeState before, NodeState after) {
        add(before, -1);
        add(after, 1);
    }

    /** The figures of {@code rule}. */
    public Figures figures(PoolRule rule) {
        return new Figures(net(rule, 0), net(rule, 1), band[0], band[1]);
    }

    private void add(NodeState n, int sign) {
        boolean usable = usable(n);
        for (PoolRule rule : BORROWING) {
            for (int r = 0; r < 2; r++) {
                long pool = room.pool(rule, n, r);
                long part = usable ? pool : Math.min(0, pool);
                long[] row = net.get(rule);
                row[r] = sign > 0 ? Saturating.add(row[r], part) : Saturating.subtract(row[r], part);
            }
        }
    }
}
