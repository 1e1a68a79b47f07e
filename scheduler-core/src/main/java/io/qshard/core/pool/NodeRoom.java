package io.qshard.core.pool;

import static io.qshard.core.snapshot.NodeState.BATCH_CPU;
import static io.qshard.core.snapshot.NodeState.BATCH_MEMORY;
import static io.qshard.core.snapshot.NodeState.CPU;
import static io.qshard.core.snapshot.NodeState.MEMORY;
import static io.qshard.core.snapshot.NodeState.PODS;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Saturating;
import io.qshard.core.snapshot.NodeState;

/**
 * How much a new pod of each accounting class may still take on a node — the tightest of the class's pool
 * and what a kubelet would admit. {@code usage(class)} is {@link NodeState#usageOf}: the real usage (with estimates
 * for young pods) while the node has a fresh report, else the conservative view (docs/architecture.md, "The usage view"), Σ requests of the
 * class. Immutable and thread-safe.
 *
 * <pre>
 * peakCap    = realAllocatable × targetUtilization;  margin = realAllocatable × safetyMargin
 * prod room  = min(realAllocatable − Σ requests(prod + foreign),  allocatable − Σ native requests(all))
 * mid pool   = peakCap − peak(prod) − margin − usage(mid);   mid room = min(mid pool, allocatable − Σ native requests(all))
 * batch pool = peakCap − peak(prod) − peak(mid) − margin − usage(batch)
 * free pool  = batch pool − usage(free)
 *   usage(c) = Σ estimate of class c's pods ({@link NodeState#usageOf}); peak(c) = usage(c) raised to its predicted
 *   peak over the horizon ({@link NodeState#peakUsageOf}), per docs/architecture.md, "The pools"
 * batch/free room = min(pool, min(advertised batch allocatable, published ceiling) − Σ batch requests(batch + free))
 * </pre>
 * The published ceiling ({@link io.qshard.core.usage.ClassUsage#batchCeiling}) is what the node's reporter will
 * lower the advertisement to after a hold-down; honouring it at once means no placement outruns the kubelet.
 * Pod slots are always allocatable.pods − pods on the node. Values may be negative (over). Figures anywhere in the
 * range of a long never turn a full node into an empty one: every figure read is in [0, {@link Long#MAX_VALUE}]
 * ({@link NodeState} and {@link io.qshard.core.usage.ClassUsage} clamp and saturate), so the difference of two cannot
 * overflow and stays plain arithmetic on the prod path; longer chains saturate ({@link Saturating}). The per-component
 * {@link #room} allocates nothing: filters call it for every node.
 */
public final class NodeRoom {
    private final double[] target;
    private final double[] margin;

    public NodeRoom(PoolConfig config) {
        this.target = new double[] {config.cpuTargetUtilization(), config.memoryTargetUtilization()};
        this.margin = new double[] {config.cpuSafetyMargin(), config.memorySafetyMargin()};
    }

    /** Room left for one more pod of class {@code rule} on {@code node}, component {@code c} (NodeState.CPU…). */
    public long room(PoolRule rule, NodeState node, int c) {
        // a difference of two figures in [0, Long.MAX_VALUE] is in [-Long.MAX_VALUE, Long.MAX_VALUE]: no overflow
        if (c == PODS) {
            return node.allocatable(PODS) - node.requested(PODS); // every pod requests pods = 1
        }
        long admit = node.allocatable(c) - node.requested(c);
        boolean nativeComponent = c == CPU || c == MEMORY;
        if (nativeComponent) {
            return switch (rule) {
                case ALLOCATABLE, MID_POOL -> Math.min(pool(rule, node, c), admit);
                case BATCH_POOL, FREE_POOL -> admit;
            };
        }
        if (rule == PoolRule.ALLOCATABLE || rule == PoolRule.MID_POOL) {
            return admit;
        }
        int r = c - BATCH_CPU;
        if (node.usage() != null) {
            admit = Math.min(admit, node.usage().batchCeiling(r) - node.requested(c));
        }
        return Math.min(pool(rule, node, r), admit);
    }

    /**
     * The pool part of {@link #room} for native resource {@code r} (0 cpu, 1 memory), without what a kubelet admits:
     * prod → realAllocatable − Σ requests(prod + foreign); mid → peakCap − peak(prod) − margin − usage(mid); batch →
     * peakCap − peak(prod) − peak(mid) − margin − usage(batch); free → the batch pool − usage(free). Milli-cores or
     * bytes; negative when the class is over. Allocates nothing.
     */
    public long pool(PoolRule rule, NodeState node, int r) {
        return switch (rule) {
            case ALLOCATABLE -> node.realAllocatable(r) - node.requestedBy(PoolRule.ALLOCATABLE, r);
            case MID_POOL ->
                minus(
                        minus(peak(node, r) - node.peakUsageOf(PoolRule.ALLOCATABLE, r), margin(node, r)),
                        node.usageOf(PoolRule.MID_POOL, r));
            case BATCH_POOL -> minus(batchPoolBeforeBatch(node, r), node.usageOf(PoolRule.BATCH_POOL, r));
            case FREE_POOL ->
                minus(
                        minus(batchPoolBeforeBatch(node, r), node.usageOf(PoolRule.BATCH_POOL, r)),
                        node.usageOf(PoolRule.FREE_POOL, r));
        };
    }

    /** {@link #room} for every component. */
    public Resources roomFor(PoolRule rule, NodeState node) {
        return new Resources(
                room(rule, node, CPU),
                room(rule, node, MEMORY),
                room(rule, node, PODS),
                room(rule, node, BATCH_CPU),
                room(rule, node, BATCH_MEMORY));
    }

    /** The batch pool of a node (what the node agent / simulator advertises as batch allocatable), ≥ 0. */
    public Resources batchPool(NodeState node) {
        return Resources.batch(
                Math.max(0, batchPoolBeforeBatch(node, CPU)), Math.max(0, batchPoolBeforeBatch(node, MEMORY)));
    }

    /** peakCap − peak(prod) − peak(mid) − margin, for native resource r (0 cpu, 1 memory). */
    private long batchPoolBeforeBatch(NodeState node, int r) {
        return minus(
                minus(
                        peak(node, r) - node.peakUsageOf(PoolRule.ALLOCATABLE, r),
                        node.peakUsageOf(PoolRule.MID_POOL, r)),
                margin(node, r));
    }

    /** In [0, real allocatable]: a double converts to long saturating. */
    private long peak(NodeState node, int r) {
        return (long) (node.realAllocatable(r) * target[r]);
    }

    private long margin(NodeState node, int r) {
        return (long) (node.realAllocatable(r) * margin[r]);
    }

    private static long minus(long a, long b) {
        return Saturating.subtract(a, b);
    }
}
