package io.qshard.demo;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.replicas.HostingAnnotations;
import java.util.HashMap;
import java.util.Map;

/**
 * What replica hosting did to the demo's hosted Deployments, as seen from the API: each {@link #observe} reads their
 * {@code spec.replicas} and counts a change up or down for each one that moved since the last look. The demo changes
 * no hosted Deployment itself (no churn with hosting) and the controller changes one at most once per min interval
 * (10 s, two ticks), so each move between two looks is one change of the controller. The request of a Deployment is
 * the replicas it was first seen with. Called from one thread.
 */
final class HostingTally {
    private final Map<String, Integer> request = new HashMap<>();
    private final Map<String, Integer> last = new HashMap<>();
    private long up;
    private long down;

    /** Lists the demo's Deployments once and {@link #record}s the hosted ones. */
    void observe(KubernetesClient client) {
        Map<String, Integer> now = new HashMap<>();
        for (Deployment d : client.apps()
                .deployments()
                .inNamespace(DemoWorkload.NAMESPACE)
                .list()
                .getItems()) {
            Map<String, String> a = d.getMetadata().getAnnotations();
            if (a != null && "true".equals(a.get(HostingAnnotations.HOSTING))) {
                Integer r = d.getSpec().getReplicas();
                now.put(d.getMetadata().getName(), r == null ? 1 : r);
            }
        }
        record(now);
    }

    /** One look: the replicas of every hosted Deployment now, by name. */
    void record(Map<String, Integer> replicas) {
        replicas.forEach((name, r) -> {
            request.putIfAbsent(name, r);
            Integer before = last.put(name, r);
            if (before != null && r > before) {
                up++;
            } else if (before != null && r < before) {
                down++;
            }
        });
    }

    /** Changes up seen so far. */
    long up() {
        return up;
    }

    /** Changes down seen so far. */
    long down() {
        return down;
    }

    /** Hosted Deployments seen. */
    int workloads() {
        return last.size();
    }

    /** Σ replicas of the hosted Deployments at the last look. */
    long replicas() {
        return last.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Σ replicas they were first seen with (their owners' request: the demo never rescales them). */
    long requested() {
        return request.values().stream().mapToLong(Integer::longValue).sum();
    }
}
