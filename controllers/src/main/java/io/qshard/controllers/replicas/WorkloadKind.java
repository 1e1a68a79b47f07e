package io.qshard.controllers.replicas;

import java.util.List;

/**
 * A kind of workload with a {@code scale} subresource that replica hosting watches. Immutable.
 *
 * @param group   API group ("apps")
 * @param version API version ("v1")
 * @param plural  resource ("deployments")
 * @param kind    kind ("Deployment")
 */
public record WorkloadKind(String group, String version, String plural, String kind) {
    /** apps/v1 deployments, statefulsets and replicasets. */
    public static final List<WorkloadKind> DEFAULTS = List.of(
            new WorkloadKind("apps", "v1", "deployments", "Deployment"),
            new WorkloadKind("apps", "v1", "statefulsets", "StatefulSet"),
            new WorkloadKind("apps", "v1", "replicasets", "ReplicaSet"));

    /** "apps/v1". */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}
