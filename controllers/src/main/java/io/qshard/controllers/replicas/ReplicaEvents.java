package io.qshard.controllers.replicas;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replica hosting's Events on the workload ({@code source.component} {@value #COMPONENT}), written on one daemon
 * thread with at most {@value #QUEUED} waiting (more are dropped with a log line; a failed write is logged, never
 * thrown). Normal: {@code ReplicasScaledUp}, {@code ReplicasScaledDown}, {@code ReplicasRequestChanged},
 * {@code ReplicaHostingEnded}, one per write. Warning: {@code ReplicaHostingConflict} once per (workload, HPA) per
 * process (the last 4096 pairs remembered); {@code ReplicaHostingInvalid} and {@code ReplicaHostingFailed} (a write that keeps failing) at most once per
 * workload and message per {@link #REPEAT_AFTER}. Thread-safe.
 */
final class ReplicaEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaEvents.class);
    static final String COMPONENT = "qshard-replicas";
    static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    static final int QUEUED = 256;

    private final KubernetesClient client;
    private final ThreadPoolExecutor writer;
    private final Set<String> conflicts = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
            return size() > 4096;
        }
    });
    private final Map<String, Instant> invalid = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> e) {
            return size() > 4096;
        }
    };

    ReplicaEvents(KubernetesClient client) {
        this.client = client;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "qshard-replica-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** A Normal Event about a write (ReplicasScaledUp, ReplicasScaledDown, ReplicasRequestChanged…). */
    void normal(WorkloadFacts f, String reason, String message, Instant now) {
        queue(f, reason, message, "Normal", now);
    }

    /** @return whether the Warning ReplicaHostingConflict was queued (the first time for this workload and HPA) */
    boolean conflict(WorkloadFacts f, String hpaUid, String message, Instant now) {
        synchronized (conflicts) {
            if (!conflicts.add(f.uid() + "/" + hpaUid)) {
                return false;
            }
        }
        queue(f, "ReplicaHostingConflict", message, "Warning", now);
        return true;
    }

    /** @return whether the Warning ReplicaHostingInvalid was queued (not within {@link #REPEAT_AFTER} of the same) */
    boolean invalid(WorkloadFacts f, String message, Instant now) {
        return warnAtMostEvery(f, "ReplicaHostingInvalid", message, now);
    }

    /**
     * @param error   the failure, the same for the same cause (de-duplicates)
     * @param message the Event's message
     * @return whether the Warning ReplicaHostingFailed was queued (not within {@link #REPEAT_AFTER} of the same error)
     */
    boolean failed(WorkloadFacts f, String error, String message, Instant now) {
        return warnAtMostEvery(f, "ReplicaHostingFailed", error, message, now);
    }

    private boolean warnAtMostEvery(WorkloadFacts f, String reason, String message, Instant now) {
        return warnAtMostEvery(f, reason, message, message, now);
    }

    private boolean warnAtMostEvery(WorkloadFacts f, String reason, String same, String message, Instant now) {
        String key = f.uid() + "/" + reason + "/" + same;
        synchronized (invalid) {
            Instant last = invalid.get(key);
            if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
                return false;
            }
            invalid.put(key, now);
        }
        queue(f, reason, message, "Warning", now);
        return true;
    }

    private void queue(WorkloadFacts f, String reason, String message, String type, Instant now) {
        try {
            writer.execute(() -> write(f, reason, message, type, now));
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: Event {} dropped (more than {} waiting): {}", f.key(), reason, QUEUED, message);
        }
    }

    private void write(WorkloadFacts f, String reason, String message, String type, Instant now) {
        try {
            client.v1()
                    .events()
                    .inNamespace(f.key().namespace())
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withGenerateName(f.key().name() + ".")
                            .withNamespace(f.key().namespace())
                            .endMetadata()
                            .withInvolvedObject(new ObjectReferenceBuilder()
                                    .withApiVersion(f.apiVersion())
                                    .withKind(f.key().kind())
                                    .withNamespace(f.key().namespace())
                                    .withName(f.key().name())
                                    .withUid(f.uid())
                                    .build())
                            .withReason(reason)
                            .withMessage(message)
                            .withType(type)
                            .withFirstTimestamp(now.toString())
                            .withLastTimestamp(now.toString())
                            .withCount(1)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.warn("{}: cannot record Event {}: {}", f.key(), reason, e.getMessage());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdownNow();
    }
}
