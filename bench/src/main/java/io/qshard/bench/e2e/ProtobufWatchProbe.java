package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Diagnostic for {@link RawBindMain}: a pod watch in protobuf ({@code application/vnd.kubernetes.protobuf;stream=watch}),
 * its bytes counted and dropped — to compare what the apiserver spends serving a protobuf watch with a JSON one.
 */
final class ProtobufWatchProbe {
    private ProtobufWatchProbe() {}

    static AtomicLong start(KubernetesClient client) {
        String rv = client.pods()
                .inAnyNamespace()
                .list(new ListOptionsBuilder().withLimit(1L).build())
                .getMetadata()
                .getResourceVersion();
        String base = io.qshard.kube.client.ApiserverConnection.baseUrl(client);
        HttpClient http = client.getHttpClient();
        AtomicLong bytes = new AtomicLong();
        http.consumeBytes(
                        http.newHttpRequestBuilder()
                                .uri(URI.create(
                                        base + "/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=" + rv
                                                + "&timeoutSeconds=600"))
                                .header("Accept", "application/vnd.kubernetes.protobuf;stream=watch")
                                .build(),
                        (List<ByteBuffer> buffers, AsyncBody body) -> {
                            for (ByteBuffer b : buffers) {
                                bytes.addAndGet(b.remaining());
                                b.position(b.limit());
                            }
                            body.consume();
                        })
                .thenAccept(r -> {
                    System.out.println("protobuf watch: HTTP " + r.code() + " " + r.headers("Content-Type"));
                    r.body().consume();
                    r.body()
                            .done()
                            .whenComplete((v, e) ->
                                    System.out.println("protobuf watch ended after " + bytes.get() + " bytes"));
                });
        return bytes;
    }
}
