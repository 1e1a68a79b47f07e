package io.qshard.cli.manifests;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each component does against the API, from its code — the RBAC it must have and all it may have. Entries are
 * "verb group/resource[/subresource] scope" with scope {@code *} for cluster-wide and a namespace for Role grants.
 * Where a call is not obvious from the code the reason is beside it. Keep this in step with the components: the
 * scheduler's and the agent's entries are also exercised by running them as their ServiceAccounts
 * (SchedulerEndpointsIT, AgentRbacIT).
 */
final class RbacNeeds {
    static final String NAMESPACE = "qshard-system";
    static final List<String> COMPONENTS = List.of(
            "qshard-scheduler",
            "qshard-migrate",
            "qshard-agent",
            "qshard-webhook",
            "qshard-oversale",
            "qshard-replicas");

    private static final Set<String> LEASES = Set.of( // fabric8's LeaseLock: get, create, then patch to renew
            "get coordination.k8s.io/leases " + NAMESPACE,
            "create coordination.k8s.io/leases " + NAMESPACE,
            "patch coordination.k8s.io/leases " + NAMESPACE);

    static final Map<String, Set<String>> TABLE = Map.of(
            "qshard-scheduler",
                    union(
                            LEASES,
                            Set.of(
                                    "list nodes *",
                                    "watch nodes *",
                                    "list pods *",
                                    "watch pods *", // node informer, pod reflector
                                    "list services *",
                                    "watch services *",
                                    "list replicationcontrollers *",
                                    "watch replicationcontrollers *",
                                    "list apps/replicasets *",
                                    "watch apps/replicasets *",
                                    "list apps/statefulsets *",
                                    "watch apps/statefulsets *",
                                    "list namespaces *",
                                    "watch namespaces *", // WorkloadInformers (topology plugins)
                                    "list persistentvolumeclaims *",
                                    "watch persistentvolumeclaims *",
                                    "list persistentvolumes *",
                                    "watch persistentvolumes *",
                                    "list storage.k8s.io/storageclasses *",
                                    "watch storage.k8s.io/storageclasses *",
                                    "list storage.k8s.io/csinodes *",
                                    "watch storage.k8s.io/csinodes *", // VolumeInformers (volume plugins)
                                    "get persistentvolumes *",
                                    "patch persistentvolumes *", // ApiVolumeBinder: claimRef
                                    "get persistentvolumeclaims *",
                                    "patch persistentvolumeclaims *", // ApiVolumeBinder: selected-node, then polls
                                    "list policy/poddisruptionbudgets *",
                                    "watch policy/poddisruptionbudgets *", // WorkloadInformers (preemption)
                                    "delete pods *", // ApiPreemptionWriter: preemption's victims
                                    "create pods/binding *",
                                    "patch pods/status *",
                                    "create events *", // binder, PodStatusReporter
                                    "list qshard.io/nodeusages *",
                                    "watch qshard.io/nodeusages *", // usage view
                                    "list qshard.io/shardmaps *",
                                    "watch qshard.io/shardmaps *", // ShardMapWatcher
                                    "create qshard.io/shardmaps *",
                                    "update qshard.io/shardmaps *", // ShardMapMaintainer (shard 0)
                                    "patch qshard.io/shardmaps/status *")), // ShardAcks
            "qshard-migrate",
                    union(
                            LEASES,
                            Set.of(
                                    "list nodes *",
                                    "watch nodes *",
                                    "list pods *",
                                    "watch pods *", // ClusterView's informers
                                    "list qshard.io/nodeusages *",
                                    "watch qshard.io/nodeusages *",
                                    "create pods/eviction *",
                                    "create events *")), // Evictions, MigrationEvents
            "qshard-agent",
                    Set.of(
                            "list pods *",
                            "watch pods *", // LocalPods (field selector spec.nodeName)
                            "list nodes *",
                            "watch nodes *", // OwnNode (field selector metadata.name)
                            "patch nodes/status *", // batch pool advertisement
                            "get qshard.io/nodeusages *",
                            "create qshard.io/nodeusages *",
                            "patch qshard.io/nodeusages/status *",
                            "create pods/eviction *"), // besteffort box, memory pressure
            "qshard-webhook", Set.of(), // serves TLS from mounted files; reads nothing from the API
            "qshard-oversale",
                    union(
                            LEASES,
                            Set.of(
                                    "list nodes *",
                                    "watch nodes *",
                                    "patch nodes *", // ratio annotations
                                    "list pods *",
                                    "watch pods *",
                                    "list qshard.io/nodeusages *",
                                    "watch qshard.io/nodeusages *",
                                    "create events *")),
            "qshard-replicas",
                    union(
                            LEASES,
                            Set.of(
                                    "list nodes *",
                                    "watch nodes *",
                                    "list pods *",
                                    "watch pods *",
                                    "list qshard.io/nodeusages *",
                                    "watch qshard.io/nodeusages *", // ClusterView (pending pods kept)
                                    "list apps/deployments *",
                                    "watch apps/deployments *",
                                    "list apps/statefulsets *",
                                    "watch apps/statefulsets *",
                                    "list apps/replicasets *",
                                    "watch apps/replicasets *", // WorkloadWatch (+ ReplicaSet → Deployment owners)
                                    "patch apps/deployments *",
                                    "patch apps/statefulsets *",
                                    "patch apps/replicasets *", // bookkeeping annotations, no read first
                                    "update apps/deployments/scale *",
                                    "update apps/statefulsets/scale *",
                                    "update apps/replicasets/scale *", // one Scale PUT with a resourceVersion
                                    "get apps/deployments/scale *",
                                    "get apps/statefulsets/scale *",
                                    "get apps/replicasets/scale *", // re-read after a 409, retried if replicas
                                    // unchanged
                                    "list autoscaling/horizontalpodautoscalers *",
                                    "watch autoscaling/horizontalpodautoscalers *", // HpaWatch (autoscaling/v1)
                                    "create events *")));

    /** A sample nobody should have unless listed: the usual escalations. */
    static final List<String> SHOULD_BE_DENIED = List.of(
            "get secrets *",
            "list secrets *",
            "delete pods *",
            "create pods *",
            "update nodes *",
            "delete nodes *",
            "create pods/binding *",
            "create pods/eviction *",
            "patch nodes/status *",
            "create rbac.authorization.k8s.io/clusterrolebindings *",
            "update coordination.k8s.io/leases default",
            "delete qshard.io/shardmaps *",
            "create apiextensions.k8s.io/customresourcedefinitions *",
            "patch coordination.k8s.io/leases kube-system",
            "get nodes *",
            "get pods *", // status patches go without a read first (kube.Patches)
            "update apps/deployments *",
            "create apps/deployments *",
            "delete apps/deployments *",
            "patch apps/deployments/scale *"); // replica hosting writes replicas only through Scale PUTs

    private RbacNeeds() {}

    static Set<String> of(String component) {
        return TABLE.get(component);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
