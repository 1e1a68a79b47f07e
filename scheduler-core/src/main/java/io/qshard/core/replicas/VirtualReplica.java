package io.qshard.core.replicas;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;

/** The planner's stand-ins for replicas that do not run yet: copies of a workload's pod template. Pure. */
final class VirtualReplica {
    private VirtualReplica() {}

    /** Replica {@code i} of {@code w}: its template, pending, with uid {@code plan:<workload uid>:<i>}. */
    static PodRequest of(HostedWorkload w, int i) {
        PodRequest t = w.template();
        return new PodRequest(
                "plan:" + w.uid() + ":" + i,
                t.namespace(),
                t.name() + "-plan-" + i,
                t.tier(),
                t.poolRule(),
                t.requests(),
                t.nodeSelector(),
                t.affinity(),
                t.tolerations(),
                t.priority(),
                t.creationTime(),
                t.owner(),
                null,
                t.labels(),
                t.podAffinity(),
                t.spread(),
                false,
                t.details(),
                PodRequest.NOT_STARTED);
    }

    /** What a pod asks of native resource {@code r} (0 cpu, 1 memory), natively or as the batch resources. */
    static long request(PodRequest pod, int r) {
        Resources q = pod.requests();
        return r == 0 ? q.milliCpu() + q.batchMilliCpu() : q.memoryBytes() + q.batchMemoryBytes();
    }
}
