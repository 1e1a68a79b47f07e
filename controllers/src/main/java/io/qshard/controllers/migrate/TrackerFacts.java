package io.qshard.controllers.migrate;

import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.HotNodes;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.shard.usage.UsageTracker;
import java.time.Duration;

/**
 * The planner's facts read from a usage view ({@link UsageTracker}) over one snapshot — shared by the controller and
 * the offline scenario so both plan on the same arithmetic. Use it on the thread that owns the tracker.
 */
public final class TrackerFacts implements MigrationPlanner.Facts {
    private final UsageTracker usage;
    private final ClusterSnapshot snapshot;
    private final Duration transientHorizon;

    public TrackerFacts(UsageTracker usage, ClusterSnapshot snapshot, Duration transientHorizon) {
        this.usage = usage;
        this.snapshot = snapshot;
        this.transientHorizon = transientHorizon;
    }

    @Override
    public HotNodes.State state(String node) {
        return usage.hotState(node);
    }

    @Override
    public UsageReport report(String node) {
        return usage.report(node);
    }

    @Override
    public Usage peak(String node) {
        NodeState ns = snapshot.node(node).orElse(null);
        return ns == null ? null : usage.nodePeak(node, ns);
    }

    @Override
    public boolean coolsSoon(String node, double level) {
        NodeState ns = snapshot.node(node).orElse(null);
        return ns != null && usage.expectedBelow(node, ns, level, transientHorizon);
    }

    /** Nodes of the snapshot that are hot by the rule now. */
    public int hotNodes() {
        int hot = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            if (usage.hotState(snapshot.node(i).name()) == HotNodes.State.HOT) {
                hot++;
            }
        }
        return hot;
    }
}
