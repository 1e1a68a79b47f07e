package io.qshard.kube.write;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warning Events about API objects other than pods (a Node, a NodeUsage, a ShardMap that qshard refused), written on
 * one daemon thread so informer threads never wait on the apiserver. The same object and reason is written
 * at most once per {@link #REPEAT_AFTER} (every scheduler instance sees every update of a broken object); Events of
 * cluster-scoped objects go to the {@code default} namespace, as the kubelet's about Nodes. At most {@link #QUEUED}
 * wait; more are dropped with a log line. A failed write is logged, never thrown. Thread-safe.
 */
public final class ObjectEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectEvents.class);
    /** An identical Event is not written again within this. */
    public static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    /** Events waiting to be written at most. */
    public static final int QUEUED = 256;

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    /** object + reason + message → when last written; bounded (oldest forgotten first). */
    private final Map<String, Instant> written = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> e) {
            return size() > 4096;
        }
    };

    /**
     * @param component the Events' {@code source.component} / {@code reportingComponent}
     */
    public ObjectEvents(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "qshard-object-events");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues a Warning Event about {@code object}, unless one with the same reason was queued for it within
     * {@link #REPEAT_AFTER} (whatever its message: a broken reporter's changing figures make one Event, not one per
     * report).
     *
     * @return whether an Event was queued (callers log only then)
     */
    public boolean warn(HasMetadata object, String reason, String message) {
        Instant now = clock.instant();
        String key = kind(object) + "/" + object.getMetadata().getNamespace() + "/"
                + object.getMetadata().getName() + "/" + reason;
        synchronized (written) {
            Instant last = written.get(key);
            if (last != null && now.isBefore(last.plus(REPEAT_AFTER))) {
                return false;
            }
            written.put(key, now);
        }
        try {
            writer.execute(() -> write(object, reason, message, now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            synchronized (written) {
                written.remove(key); // not written: the next occurrence may try again
            }
            LOG.warn("Event {} about {} {} dropped: {} are waiting", reason, kind(object), name(object), QUEUED);
        }
        return true;
    }

    private void write(HasMetadata object, String reason, String message, Instant now) {
        String ns = object.getMetadata().getNamespace() == null
                ? "default"
                : object.getMetadata().getNamespace();
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1()
                    .events()
                    .inNamespace(ns)
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withGenerateName(object.getMetadata().getName() + ".")
                            .withNamespace(ns)
                            .endMetadata()
                            .withInvolvedObject(new ObjectReferenceBuilder()
                                    .withApiVersion(
                                            object.getApiVersion() != null
                                                    ? object.getApiVersion()
                                                    : HasMetadata.getApiVersion(object.getClass()))
                                    .withKind(kind(object))
                                    .withNamespace(object.getMetadata().getNamespace())
                                    .withName(object.getMetadata().getName())
                                    .withUid(object.getMetadata().getUid())
                                    .build())
                            .withType("Warning")
                            .withReason(reason)
                            .withMessage(message)
                            .withNewSource()
                            .withComponent(component)
                            .endSource()
                            .withReportingComponent(component)
                            .withReportingInstance(component)
                            .withFirstTimestamp(at)
                            .withLastTimestamp(at)
                            .withCount(1)
                            .build())
                    .create();
        } catch (RuntimeException e) {
            LOG.warn("Event {} about {} {} not written: {}", reason, kind(object), name(object), e.toString());
        }
    }

    private static String kind(HasMetadata o) {
        return o.getKind() != null ? o.getKind() : HasMetadata.getKind(o.getClass());
    }

    private static String name(HasMetadata o) {
        return o.getMetadata().getNamespace() == null
                ? o.getMetadata().getName()
                : o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
