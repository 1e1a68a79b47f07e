package io.qshard.core.plugins.tainttoleration;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;

/**
 * Filter: a node with a NoSchedule/NoExecute taint the pod does not tolerate is rejected.
 * Score: fewer untolerated PreferNoSchedule taints is better (normalised, reversed); skipped when no
 * feasible node has a taint at all.
 */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "TaintToleration";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        if (!node.hasTaints()) {
            return Status.SUCCESS;
        }
        for (Taint taint : node.taints()) {
            if (taint.effect() == Taint.Effect.PREFER_NO_SCHEDULE) {
                continue;
            }
            if (!tolerated(taint, pod.tolerations())) {
                return Status.unresolvable(
                        NAME,
                        "node(s) had taint {" + taint.key() + ": " + taint.value() + "}, that the pod didn't tolerate");
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status preScore(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count) {
        for (int k = 0; k < count; k++) {
            if (feasible[k].hasTaints()) {
                return Status.SUCCESS;
            }
        }
        return Status.SKIP;
    }

    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        long intolerable = 0;
        for (Taint taint : node.taints()) {
            if (taint.effect() == Taint.Effect.PREFER_NO_SCHEDULE && !tolerated(taint, pod.tolerations())) {
                intolerable++;
            }
        }
        return intolerable;
    }

    @Override
    public void normalize(CycleState state, PodRequest pod, long[] scores, int count) {
        ScorePlugin.normalizeByMax(scores, count, true);
    }

    private static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        for (Toleration t : tolerations) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }

    /** Reads only the pod and the node's {@code NodeState}. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
