package io.qshard.core.plugins.hotspot;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;

/**
 * Filter: pods of the borrowing tiers (mid, batch, free) do not go to a node that is hot or predicted hot by the
 * migration rule ({@link io.qshard.core.usage.HotNodes}, published into {@link NodeState#hot()} when the node's usage
 * report is applied) — the migration loop is taking load off it, and a replacement landing back there would
 * ping-pong. Prod is never filtered: it is placed by requests on capacity it owns. Stateless and node-local.
 *
 * <pre>
 * pool rule ALLOCATABLE (prod)     → SUCCESS
 * any other rule, node.hot()       → UNSCHEDULABLE "node is hot: …"
 * any other rule, !node.hot()      → SUCCESS
 * </pre>
 */
public final class AvoidHotNodes implements FilterPlugin {
    public static final String NAME = "AvoidHotNodes";
    private static final Status HOT =
            Status.unschedulable(NAME, "node is hot: the migration loop is taking load off it");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        return pod.poolRule() != PoolRule.ALLOCATABLE && node.hot() ? HOT : Status.SUCCESS;
    }

    /** Reads only the pod and the node's state. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
