package io.qshard.kube.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryAndReadinessOnOnePort() throws Exception {
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.counter("t_reports_total", "reports").labels().inc(3);
        AtomicReference<Optional<String>> why = new AtomicReference<>(Optional.of("informers not synced"));
        try (MetricsHttpServer server =
                new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics, why::get)) {
            HttpResponse<String> scrape = get(server, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type"))
                    .contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scrape.body().lines()).contains("# TYPE t_reports_total counter", "t_reports_total 3.0");
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server, "/readyz");
            assertThat(List.of(notReady.statusCode(), notReady.body())).containsExactly(503, "informers not synced\n");
            why.set(Optional.empty());
            assertThat(get(server, "/readyz").body()).isEqualTo("ok\n");
        }
    }

    @Test
    void aFailingCallbackOrReadinessCheckIsAnErrorAnswerNotACrash() throws Exception {
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.gaugeWithCallback("t_broken", "broken", List.of(), s -> {
            throw new IllegalStateException("no snapshot yet");
        });
        try (MetricsHttpServer server = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics, () -> {
            throw new IllegalStateException("view closed");
        })) {
            HttpResponse<String> scrape = get(server, "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(500);
            assertThat(scrape.body()).contains("no snapshot yet");
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("readiness check failed").contains("view closed");
            assertThat(get(server, "/healthz").statusCode()).as("still serving").isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(MetricsHttpServer server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
