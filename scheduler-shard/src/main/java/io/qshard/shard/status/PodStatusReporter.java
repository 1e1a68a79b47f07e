package io.qshard.shard.status;

import com.google.common.util.concurrent.RateLimiter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.model.PodRequest;
import io.qshard.kube.write.EventPoster;
import io.qshard.kube.write.Patches;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells users what happened to their pods, off the scheduling hot path (one worker thread, bounded queue;
 * when the queue is full a report is dropped and counted, never blocking the decision thread):
 * <ul>
 *   <li>{@code Scheduled} Events, at most {@code scheduledPerSecond}; during a surge the rest are summed into one
 *       Event every {@link #SUMMARY_INTERVAL} ("… and N more pods were bound"), so a backlog costs one binding
 *       write per pod plus a bounded number of events;</li>
 *   <li>{@code FailedScheduling} Warning Events carrying the diagnosis, and the pod condition
 *       {@code PodScheduled=False, reason=Unschedulable} — as kube-scheduler does, so {@code kubectl describe pod}
 *       says why a pod waits — repeated for the same pod only when the message changes or after
 *       {@link #REPEAT_AFTER};</li>
 *   <li>for a pod asking for something qshard does not schedule by ({@link io.qshard.core.model.PodDetails#ignored()}),
 *       one {@value #IGNORED_REASON} Warning Event naming each such field, the first time the pod is bound or found
 *       unschedulable — nothing a pod asks for is dropped silently.</li>
 * </ul>
 * {@link #scheduled}, {@link #unschedulable} and {@link #forget} are called from the decision thread only.
 */
public final class PodStatusReporter implements StatusReporter {
    public static final double DEFAULT_SCHEDULED_PER_SECOND = 10;
    public static final double DEFAULT_FAILED_PER_SECOND = 50;
    public static final Duration REPEAT_AFTER = Duration.ofSeconds(60);
    public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);
    /** Reason of the Event naming what a pod asks for that scheduling ignored. */
    public static final String IGNORED_REASON = "FieldsIgnored";

    private static final Logger LOG = LoggerFactory.getLogger(PodStatusReporter.class);

    private final KubernetesClient client;
    private final EventPoster events;
    private final String component;
    private final Clock clock;
    private final RateLimiter scheduledLimit;
    private final RateLimiter failedLimit;
    private final ThreadPoolExecutor worker;
    private final Map<String, Reported> lastFailure = new HashMap<>();
    /** Pods already told what was ignored (decision thread only; dropped in {@link #forget}). */
    private final Set<String> toldIgnored = new HashSet<>();

    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final java.util.concurrent.atomic.AtomicBoolean firstFailure =
            new java.util.concurrent.atomic.AtomicBoolean();
    private long suppressed;
    private Instant lastSummary;
    private PodRequest lastBound;

    private record Reported(String message, Instant at) {}

    public PodStatusReporter(
            KubernetesClient client, String component, Clock clock, double scheduledPerSecond, double failedPerSecond) {
        this.client = client;
        this.events = new EventPoster(client, component);
        this.component = component;
        this.clock = clock;
        this.scheduledLimit = RateLimiter.create(scheduledPerSecond);
        this.failedLimit = RateLimiter.create(failedPerSecond);
        this.lastSummary = clock.instant();
        this.worker = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(10_000),
                r -> {
                    Thread t = new Thread(r, component + "-status");
                    t.setDaemon(true);
                    return t;
                },
                (r, e) -> dropped.increment());
    }

    /** {@code pod} was bound to {@code node}. */
    @Override
    public void scheduled(PodRequest pod, String node) {
        lastFailure.remove(pod.uid());
        if (!toldIgnored.remove(pod.uid())) { // bound: nothing to remember past this (forget may already have run)
            tellIgnored(pod, false);
        }
        lastBound = pod;
        if (scheduledLimit.tryAcquire()) {
            submit(() -> event(pod, "Normal", "Scheduled", "Successfully assigned " + pod.key() + " to " + node));
        } else {
            suppressed++;
        }
        Instant now = clock.instant();
        if (suppressed > 0 && Duration.between(lastSummary, now).compareTo(SUMMARY_INTERVAL) >= 0) {
            long n = suppressed;
            PodRequest last = lastBound;
            suppressed = 0;
            lastSummary = now;
            submit(() -> event(
                    last,
                    "Normal",
                    "Scheduled",
                    "Successfully assigned " + last.key() + " to " + node + "; "
                            + n + " more pods were bound by " + component + " in the last "
                            + SUMMARY_INTERVAL.toSeconds()
                            + " s without individual events (limit " + (int) scheduledLimit.getRate() + "/s)"));
        }
    }

    /** No node fit {@code pod}; {@code message} is the aggregated diagnosis. */
    @Override
    public void unschedulable(PodRequest pod, String message) {
        Instant now = clock.instant();
        Reported prev = lastFailure.get(pod.uid());
        if (prev != null
                && prev.message().equals(message)
                && Duration.between(prev.at(), now).compareTo(REPEAT_AFTER) < 0) {
            return;
        }
        lastFailure.put(pod.uid(), new Reported(message, now));
        tellIgnored(pod, true);
        submit(() -> {
            failedLimit.acquire();
            event(pod, "Warning", "FailedScheduling", message);
            condition(pod, message, now);
        });
    }

    /** The pod is gone or bound elsewhere: drop what is remembered about it. */
    @Override
    public void forget(String uid) {
        lastFailure.remove(uid);
        toldIgnored.remove(uid);
    }

    /** What the pod asks for that scheduling ignored, if anything and not told before ({@code remember}: note it). */
    private void tellIgnored(PodRequest pod, boolean remember) {
        List<String> ignored = pod.details().ignored();
        if (ignored.isEmpty() || (remember && !toldIgnored.add(pod.uid()))) {
            return;
        }
        String message = component + " does not schedule by: " + String.join("; ", ignored);
        submit(() -> {
            failedLimit.acquire();
            event(pod, "Warning", IGNORED_REASON, message);
        });
    }

    /** Events and patches written so far. */
    @Override
    public long written() {
        return written.sum();
    }

    /** Reports dropped because the queue was full or a write failed. */
    @Override
    public long dropped() {
        return dropped.sum();
    }

    private void submit(Runnable r) {
        worker.execute(r);
    }

    private void event(PodRequest pod, String type, String reason, String message) {
        Instant now = clock.instant();
        write(() -> events.post(pod, type, reason, truncate(message), now), pod, reason);
    }

    private void condition(PodRequest pod, String message, Instant at) {
        Map<String, Object> cond = Map.of(
                "type",
                "PodScheduled",
                "status",
                "False",
                "reason",
                "Unschedulable",
                "message",
                truncate(message),
                "lastTransitionTime",
                at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        String patch =
                client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", List.of(cond))));
        write(
                () -> Patches.status(
                        client,
                        Patches.stub(new io.fabric8.kubernetes.api.model.Pod(), pod.namespace(), pod.name()),
                        PatchType.STRATEGIC_MERGE,
                        patch),
                pod,
                "PodScheduled condition");
    }

    private void write(Runnable call, PodRequest pod, String what) {
        try {
            call.run();
            written.increment();
        } catch (RuntimeException e) {
            dropped.increment();
            if (firstFailure.compareAndSet(false, true)) { // e.g. RBAC: say it once loudly, then quietly
                LOG.warn(
                        "could not write {} for {} (further failures at debug level): {}",
                        what,
                        pod.key(),
                        e.getMessage());
            } else {
                LOG.debug("could not write {} for {}: {}", what, pod.key(), e.getMessage());
            }
        }
    }

    private static String truncate(String m) {
        return m.length() <= 1024 ? m : m.substring(0, 1021) + "...";
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.shutdownNow();
    }
}
