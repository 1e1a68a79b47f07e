package io.qshard.controllers.migrate;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration loop's Kubernetes Events: {@code Migrating} on the node and the pod, {@code MigrationBlocked} on a
 * pod a PodDisruptionBudget protects, {@code MigrationSkipped} on a hot node left alone — the last two at most once per
 * node (or pod) per minute, so a node that stays hot does not flood the event store. Failures to record an event are
 * logged at debug and never stop the loop. Not thread-safe: the loop's thread.
 */
final class MigrationEvents {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationEvents.class);
    private static final Duration REPEAT = Duration.ofMinutes(1);

    private final KubernetesClient client;
    private final Map<String, Instant> last = new HashMap<>();

    MigrationEvents(KubernetesClient client, java.time.Clock clock) {
        this.client = client;
    }

    void migrating(MigrationPlan.Move m, String message, Instant now) {
        record(node(m.from()), "default", "Migrating", message, "Normal", now);
        record(pod(m), m.pod().namespace(), "Migrating", message, "Normal", now);
    }

    void blocked(MigrationPlan.Move m, Instant now) {
        if (due("blocked/" + m.pod().uid(), now)) {
            record(
                    pod(m),
                    m.pod().namespace(),
                    "MigrationBlocked",
                    "not evicted from hot node " + m.from() + " (" + m.reason()
                            + "): a PodDisruptionBudget does not allow it now",
                    "Warning",
                    now);
        }
    }

    void skipped(String node, String reason, Instant now) {
        if (due("skipped/" + node, now)) {
            record(node(node), "default", "MigrationSkipped", reason, "Normal", now);
        }
    }

    private boolean due(String key, Instant now) {
        Instant before = last.get(key);
        if (before != null && Duration.between(before, now).compareTo(REPEAT) < 0) {
            return false;
        }
        last.put(key, now);
        return true;
    }

    private static ObjectReference node(String name) {
        return new ObjectReferenceBuilder()
                .withKind("Node")
                .withName(name)
                .withUid(name)
                .build();
    }

    private static ObjectReference pod(MigrationPlan.Move m) {
        return new ObjectReferenceBuilder()
                .withKind("Pod")
                .withApiVersion("v1")
                .withNamespace(m.pod().namespace())
                .withName(m.pod().name())
                .withUid(m.pod().uid())
                .build();
    }

    private void record(
            ObjectReference about, String namespace, String reason, String message, String type, Instant now) {
        try {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(about.getName() + "."
                                    + UUID.randomUUID().toString().substring(0, 8))
                            .withNamespace(namespace)
                            .endMetadata()
                            .withInvolvedObject(about)
                            .withReason(reason)
                            .withMessage(message)
                            .withType(type)
                            .withFirstTimestamp(now.toString())
                            .withLastTimestamp(now.toString())
                            .withCount(1)
                            .withNewSource()
                            .withComponent("qshard-migrate")
                            .endSource()
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot record {} event on {}: {}", reason, about.getName(), e.getMessage());
        }
    }
}
