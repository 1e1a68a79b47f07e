package io.qshard.agent.kube;

import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.model.Resources;
import java.util.Objects;

/**
 * A pod bound to this node, as the agent knows it from its node-scoped pod informer. Immutable.
 *
 * @param uid       uid
 * @param namespace namespace
 * @param name      name
 * @param tier      qshard tier, or null for pods of other schedulers
 * @param priority  spec.priority (lower is evicted first)
 * @param qos       its QoS class (where the kubelet puts its cgroup)
 * @param requests  effective requests (native and batch extended resources)
 * @param cpuLimitMilli the largest cpu quota the kubelet gives one of its cgroups, milli-cores: the pod's own (Σ
 *                  limits, as the kubelet computes it) when every container has a cpu limit, else its largest
 *                  container's; 0 when none has one
 * @param terminating it has a deletion timestamp: on its way out (its usage still counts; it is never evicted again)
 */
public record LocalPod(
        String uid,
        String namespace,
        String name,
        String tier,
        int priority,
        QosClass qos,
        Resources requests,
        long cpuLimitMilli,
        boolean terminating) {
    public LocalPod {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(requests, "requests");
    }

    /** {@code namespace/name} */
    public String key() {
        return namespace + "/" + name;
    }
}
