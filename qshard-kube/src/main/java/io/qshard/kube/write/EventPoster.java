package io.qshard.kube.write;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.qshard.core.model.PodRequest;
import io.qshard.kube.client.ApiserverConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Creates core/v1 Events about pods with one small JSON POST, the way the binder writes bindings: no model
 * objects, no serializer, the answer's body not decoded. fabric8's {@code events().resource(e).create()} costs
 * about a millisecond of CPU per Event (bean serialization both ways), taken from the apiserver's cores during
 * exactly the surge that produces the Events. Thread-safe.
 */
public final class EventPoster {
    private static final long TIMEOUT_SECONDS = 10;

    private final HttpClient http;
    private final String apiBase;
    private final String component;

    /**
     * @param client    the API client whose HTTP client and base URL are used
     * @param component the Event's {@code source.component} and {@code reportingComponent}
     */
    public EventPoster(KubernetesClient client, String component) {
        this.http = client.getHttpClient();
        this.apiBase = ApiserverConnection.baseUrl(client);
        this.component = component;
    }

    /**
     * Writes one Event about {@code pod}; blocks until the apiserver answered (at most 10 s).
     *
     * @throws KubernetesClientException if the apiserver refused it, or did not answer
     */
    public void post(PodRequest pod, String type, String reason, String message, Instant now) {
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(URI.create(apiBase + "/api/v1/namespaces/" + pod.namespace() + "/events"))
                .post("application/json", body(pod, type, reason, message, now, component))
                .build();
        try {
            HttpResponse<String> response =
                    http.sendAsync(request, String.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (response.code() != 201 && response.code() != 200) {
                throw new KubernetesClientException(
                        "HTTP " + response.code() + ": " + response.body(), response.code(), null);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KubernetesClientException("event not written: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        }
    }

    /** The Event as JSON; every string quoted by Jackson's encoder (messages carry quotes and braces). */
    static byte[] body(PodRequest pod, String type, String reason, String message, Instant now, String component) {
        String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder b = new StringBuilder(512)
                .append("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"generateName\":");
        q(b, pod.name() + ".").append(",\"namespace\":");
        q(b, pod.namespace()).append("},\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"namespace\":");
        q(b, pod.namespace()).append(",\"name\":");
        q(b, pod.name()).append(",\"uid\":");
        q(b, pod.uid()).append("},\"type\":");
        q(b, type).append(",\"reason\":");
        q(b, reason).append(",\"message\":");
        q(b, message).append(",\"source\":{\"component\":");
        q(b, component).append("},\"reportingComponent\":");
        q(b, component).append(",\"reportingInstance\":");
        q(b, component).append(",\"firstTimestamp\":");
        q(b, at).append(",\"lastTimestamp\":");
        q(b, at).append(",\"count\":1}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder q(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        return b.append('"');
    }
}
