package io.qshard.core.plugins.hotspot;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.HotspotView;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Score: nodes predicted to run hot within the horizon score lower — {@code round(100 × (1 − p))} for hotspot
 * probability {@code p} — so placements steer away from a hotspot before it happens rather than migrating pods off
 * it afterwards. A node without a prediction scores 100. Stateless; the view is read per node.
 */
public final class HotspotAvoidance implements ScorePlugin {
    public static final String NAME = "HotspotAvoidance";

    private final HotspotView hotspots;

    /** @param hotspots the per-node predictions */
    public HotspotAvoidance(HotspotView hotspots) {
        this.hotspots = hotspots;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        double p = hotspots.hotspotProbability(node.name());
        if (!(p > 0)) {
            return MAX_SCORE; // 0, negative or NaN: not predicted hot
        }
        return Math.round(MAX_SCORE * (1 - Math.min(1, p)));
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = score(state, pod, nodes[k]);
        }
    }
}
