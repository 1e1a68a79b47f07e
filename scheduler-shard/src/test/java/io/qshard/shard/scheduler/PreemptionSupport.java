package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.model.Tier;
import io.qshard.localcluster.fixtures.PodFixture;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Pods and PriorityClasses for the preemption ITs: existing pods are bound at create time, with a start time. */
final class PreemptionSupport {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private PreemptionSupport() {}

    /** Creates the PriorityClass {@code name} with {@code value} unless it exists (classes are cluster-wide). */
    static void priorityClass(KubernetesClient admin, String name, int value, String preemptionPolicy) {
        try {
            admin.resource(new PriorityClassBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .withValue(value)
                            .withPreemptionPolicy(preemptionPolicy)
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    /**
     * A pod of {@code tier}'s request style and {@code schedulerName}, priority from {@code priorityClass}, no grace
     * period (API-only nodes: a delete is immediate), bound to {@code node} when not null.
     */
    static Pod pod(
            String ns, String name, Tier tier, String schedulerName, String priorityClass, long cpuMilli, String node) {
        Pod p = PodFixture.pod(name)
                .namespace(ns)
                .tier(tier)
                .schedulerName(schedulerName)
                .cpuMilli(cpuMilli)
                .memoryMi(64)
                .label("app", name.replaceAll("-\\d+$", ""))
                .build();
        p.getSpec().setPriorityClassName(priorityClass);
        p.getSpec().setTerminationGracePeriodSeconds(0L);
        p.getSpec().setNodeName(node);
        return p;
    }

    /** Creates {@code p} bound, then sets its {@code status.startTime} to {@link #T0} + {@code startSecond} s. */
    static void createStarted(KubernetesClient admin, Pod p, int startSecond) {
        admin.resource(p).create();
        admin.pods()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .editStatus(x -> {
                    x.setStatus(new PodStatusBuilder(x.getStatus())
                            .withPhase("Running")
                            .withStartTime(T0.plusSeconds(startSecond).toString())
                            .build());
                    return x;
                });
    }

    /** Names of the pods of {@code ns} now. */
    static Set<String> podNames(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .map(x -> x.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    static String nodeOf(KubernetesClient admin, String ns, String name) {
        Pod p = admin.pods().inNamespace(ns).withName(name).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    static String nominated(KubernetesClient admin, String ns, String name) {
        Pod p = admin.pods().inNamespace(ns).withName(name).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getNominatedNodeName();
    }

    /** The {@code Preempted} Events of {@code ns}. */
    static List<Event> preemptedEvents(KubernetesClient admin, String ns) {
        return admin.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Preempted".equals(e.getReason()))
                .toList();
    }
}
