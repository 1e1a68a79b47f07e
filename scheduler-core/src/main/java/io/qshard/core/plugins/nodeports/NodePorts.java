package io.qshard.core.plugins.nodeports;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.HostPort;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;

/**
 * Filter: a pod asking for host ports does not go on a node where a pod already holds one of them, as kube-scheduler
 * 1.20's NodePorts ({@code nodeports/node_ports.go}): ports conflict on equal protocol and port when either host IP is
 * the wildcard {@code 0.0.0.0} or both are equal ({@link HostPort#conflictsWith}); the failure is {@link
 * Status.Code#UNSCHEDULABLE} "node(s) didn't have free ports for the requested pod ports". PreFilter steps aside
 * (SKIP) for a pod without host ports — nearly all. Stateless and thread-safe.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "NodePorts";
    /** kube-scheduler's reason. */
    public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final Status CONFLICT = Status.unschedulable(NAME, ERR_REASON);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        return pod.details().hasHostPorts() ? Status.SUCCESS : Status.SKIP;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        if (!node.hasHostPorts()) {
            return Status.SUCCESS;
        }
        List<HostPort> wanted = pod.details().hostPorts();
        for (int i = 0; i < wanted.size(); i++) {
            if (node.hostPortTaken(wanted.get(i))) {
                return CONFLICT;
            }
        }
        return Status.SUCCESS;
    }

    /** Reads only the pod and the node's {@code NodeState}. */
    @Override
    public boolean nodeLocal() {
        return true;
    }
}
