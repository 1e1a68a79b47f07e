package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/** Runs once per pod after filtering, with the feasible nodes, before scoring. */
public interface PreScorePlugin extends Plugin {
    /**
     * @param snapshot the cycle's snapshot (read-only), for plugins whose scores span nodes
     * @param feasible the nodes that passed every filter, in {@code feasible[0..count)}; read-only
     * @param count    how many entries of {@code feasible} are set
     * @return {@link Status#SUCCESS}, or {@link Status#SKIP} when this plugin's {@link ScorePlugin#score}
     *         would give every node the same score for this pod (it is then not called)
     */
    Status preScore(CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count);
}
