package io.qshard.core.plugins.nodeunschedulable;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.snapshot.NodeState;

/** Filter: cordoned nodes ({@code spec.unschedulable}) take only pods that tolerate the unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin {
    public static final String NAME = "NodeUnschedulable";
    static final String REASON = "node(s) were unschedulable";
    static final Taint UNSCHEDULABLE_TAINT =
            new Taint("node.kubernetes.io/unschedulable", "", Taint.Effect.NO_SCHEDULE);
    private static final Status REJECTED = Status.unresolvable(NAME, REASON);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        if (!node.unschedulable()) {
            return Status.SUCCESS;
        }
        for (Toleration t : pod.tolerations()) {
            if (t.tolerates(UNSCHEDULABLE_TAINT)) {
                return Status.SUCCESS;
            }
        }
        return REJECTED;
    }

    /** Reads only the pod and the node's {@code NodeState}. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
