package io.qshard.cli.parity;

import java.util.List;
import java.util.Set;

/**
 * One differential case: pods already bound in the fixture cluster, the workload objects around them, the probe pod
 * both schedulers are asked to place, and what kube-scheduler 1.20 is expected to answer (the reference; the run
 * checks kube-scheduler against it, then qshard against kube-scheduler). Immutable.
 *
 * @param name      short unique name (also part of the namespaces' names)
 * @param covers    the rule the case exercises
 * @param why       how the expectation follows from kube-scheduler 1.20's rules, including why exactly one node is
 *                  best for placement (so no tie-breaking randomness decides it)
 * @param existing  pods bound with spec.nodeName at create time, no scheduler involved
 * @param workload  the ReplicaSet / Service that select {@code app=web} in the own namespace
 * @param probe     the probe pod's shape
 * @param feasible  nodes (fixture names) a probe pinned to them fits on
 * @param placement the node the unpinned probe goes to, or null when it fits nowhere
 */
record ParityCase(
        String name,
        String covers,
        String why,
        List<Existing> existing,
        Workload workload,
        Shape probe,
        Set<String> feasible,
        String placement) {
    ParityCase {
        existing = List.copyOf(existing);
        feasible = Set.copyOf(feasible);
        if (placement != null && !feasible.contains(placement)) {
            throw new IllegalArgumentException(name + ": placement " + placement + " is not among the feasible nodes");
        }
        if (placement == null && !feasible.isEmpty()) {
            throw new IllegalArgumentException(name + ": feasible nodes but no placement");
        }
    }

    /** A pod bound to {@code node}; when {@code terminating}, deleted with a grace period (no kubelet ends it). */
    record Existing(Shape shape, String node, boolean terminating) {}

    /** Objects selecting {@code app=web} in the case's own namespace, for the system default spread constraints. */
    enum Workload {
        NONE,
        /** A ReplicaSet (its pods carry an ownerReference to it) and a Service. */
        REPLICA_SET_AND_SERVICE,
        /** A Service only. */
        SERVICE
    }
}
