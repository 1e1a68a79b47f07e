package io.qshard.core.plugins.nodeaffinity;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.Map;

/**
 * Filter: {@code nodeSelector} and required node affinity must match the node — {@code matchExpressions} its labels,
 * {@code matchFields} on {@code metadata.name} its name (kube-scheduler 1.20's {@code
 * PodMatchesNodeSelectorAndAffinityTerms}). Score: sum of the weights of the preferred terms that match, normalised by
 * the best node. Both are skipped for pods without a selector / preferred terms (most pods).
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "NodeAffinity";
    /** kube-scheduler 1.20.2's {@code ErrReasonPod}, for a nodeSelector and a node affinity mismatch alike. */
    static final String REASON = "node(s) didn't match Pod's node affinity";

    private static final Status REJECTED = Status.unresolvable(NAME, REASON);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        return pod.nodeSelector().isEmpty() && pod.affinity().required().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public Status preScore(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count) {
        return pod.affinity().preferred().isEmpty() ? Status.SKIP : Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        Map<String, String> labels = node.node().labels();
        for (Map.Entry<String, String> want : pod.nodeSelector().entrySet()) {
            if (!want.getValue().equals(labels.get(want.getKey()))) {
                return REJECTED;
            }
        }
        return pod.affinity().requiredMatches(node.node().name(), labels) ? Status.SUCCESS : REJECTED;
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        return pod.affinity().preferred().isEmpty()
                ? 0
                : pod.affinity().preferredWeight(node.node().name(), node.node().labels());
    }

    @Override
    public void normalize(CycleState state, PodRequest pod, long[] scores, int count) {
        ScorePlugin.normalizeByMax(scores, count, false);
    }

    /** Reads only the pod and the node's {@code NodeState}. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
