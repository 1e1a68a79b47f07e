package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * What an end-to-end backlog round creates — the fleet once per run, the pending pods per contender and round — and
 * what it checks from the API once the contender stopped. Implementations are immutable.
 */
interface BacklogWorkload {
    /** Values of {@code --workload}. */
    enum Kind {
        /** Prod-shaped pods (100m / 128Mi) without any placement rule: the backlog the bench has always measured. */
        PLAIN,
        /** Deployment-like replicas with hostname anti-affinity and zone spread: {@link TopologyWorkload}. */
        TOPOLOGY;

        BacklogWorkload create() {
            return this == PLAIN ? PlainWorkload.INSTANCE : new TopologyWorkload();
        }
    }

    /** One line for the report's header, e.g. "prod-shaped pods (100m / 128Mi)". */
    String describe();

    /** Registers the run's {@code o.nodes} nodes. */
    void registerFleet(KubernetesClient admin, BacklogOptions o);

    /** {@code count} pending pods for {@code schedulerName} in {@code namespace}, the same for every contender. */
    List<Pod> pods(String namespace, int count, String schedulerName);

    /** Checks the pods bound in {@code namespace} against the workload's rules, or returns null: nothing to check. */
    default PlacementAudit audit(KubernetesClient admin, String namespace) {
        return null;
    }
}
