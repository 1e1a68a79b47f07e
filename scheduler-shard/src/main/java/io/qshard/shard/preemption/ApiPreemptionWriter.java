package io.qshard.shard.preemption;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.qshard.core.model.PodRequest;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.write.EventPoster;
import io.qshard.kube.write.Patches;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PreemptionWriter} through the API, on one thread per instance ({@code <component>-preempt}). A victim is
 * deleted with a uid precondition (a pod recreated under its name since the decision is not touched; 404 and 409 count
 * as gone) and no grace-period override, so its own {@code terminationGracePeriodSeconds} applies. Every failure is
 * logged and counted; a failed delete ends that preemption (the pod is decided again when it is retried).
 */
public final class ApiPreemptionWriter implements PreemptionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiPreemptionWriter.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final KubernetesClient client;
    private final HttpClient http;
    private final String apiBase;
    private final EventPoster events;
    private final Clock clock;
    private final ExecutorService worker;
    private final LongAdder deleted = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** @param component the Events' source, e.g. {@code qshard-prod} */
    public ApiPreemptionWriter(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.http = client.getHttpClient();
        this.apiBase = ApiserverConnection.baseUrl(client);
        this.events = new EventPoster(client, component);
        this.clock = clock;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, component + "-preempt");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void preempt(
            PodRequest preemptor,
            String node,
            List<PodRequest> victims,
            List<PodRequest> lowerNominated,
            Runnable deleteFailed) {
        submit(() -> {
            for (PodRequest v : victims) {
                if (!delete(v)) {
                    deleteFailed.run();
                    return;
                }
            }
            nominate(preemptor, node); // before the Events: the pod may be retried as soon as its victims are gone
            String message = "Preempted by " + preemptor.namespace() + "/" + preemptor.name() + " on node " + node;
            for (PodRequest v : victims) {
                write(() -> events.post(v, "Normal", "Preempted", message, clock.instant()), v, "Preempted Event");
            }
            lowerNominated.forEach(p -> nominate(p, null));
        });
    }

    @Override
    public void clearNomination(PodRequest pod) {
        submit(() -> nominate(pod, null));
    }

    private boolean delete(PodRequest victim) {
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"uid\":\"" + victim.uid()
                + "\"}}";
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(URI.create(apiBase + "/api/v1/namespaces/" + victim.namespace() + "/pods/" + victim.name()))
                .delete("application/json", body)
                .build();
        try {
            HttpResponse<String> r = http.sendAsync(request, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (r.code() == 200 || r.code() == 202 || r.code() == 404 || r.code() == 409) {
                deleted.increment();
                return true;
            }
            fail(victim, "delete", "HTTP " + r.code() + ": " + r.body());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            fail(victim, "delete", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Sets ({@code node} not null) or clears {@code pod}'s {@code status.nominatedNodeName}. */
    private void nominate(PodRequest pod, String node) {
        String patch = node == null
                ? "{\"status\":{\"nominatedNodeName\":null}}"
                : "{\"status\":{\"nominatedNodeName\":\"" + node + "\"}}";
        write(
                () -> Patches.status(
                        client, Patches.stub(new Pod(), pod.namespace(), pod.name()), PatchType.STRATEGIC_MERGE, patch),
                pod,
                "status.nominatedNodeName");
    }

    private void write(Runnable call, PodRequest pod, String what) {
        try {
            call.run();
        } catch (RuntimeException e) { // an API refusal, or a bug: logged and counted, the writer thread goes on
            fail(pod, what, KubeconfigResolver.oneLine(e));
        }
    }

    private void fail(PodRequest pod, String what, String why) {
        failures.increment();
        LOG.warn("preemption: could not write {} of {}: {}", what, pod.key(), why);
    }

    private void submit(Runnable r) {
        try {
            worker.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("preemption write dropped: the scheduler is stopping");
        }
    }

    @Override
    public long deleted() {
        return deleted.sum();
    }

    @Override
    public long failures() {
        return failures.sum();
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
