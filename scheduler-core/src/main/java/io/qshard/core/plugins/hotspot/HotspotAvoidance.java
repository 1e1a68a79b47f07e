package io.qshard.core.plugins.hotspot;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: nodes predicted to run hot within the horizon score lower — {@code round(100 × (1 − p))} for the node's
 * hotspot probability {@code p} ({@link NodeState#hotspotProbability()}, published when its usage report is applied) —
 * so placements steer away from a hotspot before it happens rather than migrating pods off it afterwards. A node
 * without a prediction reads p = 0 and scores 100. Stateless and node-local.
 */
public final class HotspotAvoidance implements ScorePlugin {
    public static final String NAME = "HotspotAvoidance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        return Math.round(MAX_SCORE * (1 - node.hotspotProbability())); // NodeState keeps p in [0, 1]
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = score(state, pod, nodes[k]);
        }
    }

    /** Reads only the node's state. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
