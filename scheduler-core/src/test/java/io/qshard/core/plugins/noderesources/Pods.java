package io.qshard.core.plugins.noderesources;

import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.ScalarResources;
import java.util.List;
import java.util.Map;

/** Test helpers: pods and nodes with scalar resources and non-zero requests. */
final class Pods {
    private Pods() {}

    /** {@code p} with these scalar requests (ephemeral-storage, hugepages, extended resources). */
    static PodRequest withScalars(PodRequest p, Map<String, Long> scalars) {
        return new PodRequest(
                p.uid(),
                p.namespace(),
                p.name(),
                p.tier(),
                p.poolRule(),
                p.requests().withScalars(ScalarResources.of(scalars)),
                p.nodeSelector(),
                p.affinity(),
                p.tolerations(),
                p.priority(),
                p.creationTime(),
                p.owner(),
                p.nodeName(),
                p.labels(),
                p.podAffinity(),
                p.spread(),
                p.terminating(),
                p.details(),
                p.startMillis());
    }

    /** {@code p} with these non-zero requests (milli-cpu, bytes), as a pod with containers without requests has. */
    static PodRequest withNonZero(PodRequest p, long milliCpu, long memoryBytes) {
        return p.withDetails(new PodDetails(milliCpu, memoryBytes, List.of(), List.of(), List.of(), List.of()));
    }

    /** {@code n} with these scalar resources allocatable. */
    static Node withScalars(Node n, Map<String, Long> scalars) {
        ScalarResources s = ScalarResources.of(scalars);
        return new Node(
                n.name(),
                n.labels(),
                n.taints(),
                n.allocatable().withScalars(s),
                n.realAllocatable().withScalars(s),
                n.unschedulable(),
                n.annotations(),
                n.images());
    }
}
