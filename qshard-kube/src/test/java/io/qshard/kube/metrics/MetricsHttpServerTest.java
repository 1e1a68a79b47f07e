package io.qshard.kube.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.health.HealthChecks;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.testing.HandClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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

    @Test
    void healthzNamesEachStaleOrDeadLoopAndIsOkOnceEveryLoopBeats() throws Exception {
        HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
        Heartbeat decision = new Heartbeat(clock);
        Heartbeat migrate = new Heartbeat(clock);
        HealthChecks health = new HealthChecks();
        try (MetricsHttpServer server = new MetricsHttpServer(
                new InetSocketAddress("127.0.0.1", 0), new PrometheusMetrics(), Optional::empty, health, false)) {
            assertThat(get(server, "/healthz").body()).as("no loop yet").isEqualTo("ok\n");
            health.add("decision/batch", decision, Duration.ofSeconds(30))
                    .add("migrate", migrate, Duration.ofSeconds(100));
            HttpResponse<String> fresh = get(server, "/healthz");
            assertThat(List.of(fresh.statusCode(), fresh.body())).containsExactly(200, "ok\n");

            clock.advance(Duration.ofSeconds(31));
            HttpResponse<String> stale = get(server, "/healthz");
            assertThat(List.of(stale.statusCode(), stale.body()))
                    .containsExactly(503, "decision/batch: stale, last heartbeat 31 s ago (at most 30 s)\n");

            decision.beat();
            migrate.fatal(new IllegalStateException("invariant broken"));
            HttpResponse<String> dead = get(server, "/healthz");
            assertThat(List.of(dead.statusCode(), dead.body()))
                    .containsExactly(
                            503, "migrate: the loop died: java.lang.IllegalStateException: invariant broken\n");
            assertThat(get(server, "/readyz").statusCode())
                    .as("readiness is its own question")
                    .isEqualTo(200);
            assertThat(post(server, "/debug/kill?loop=decision").statusCode())
                    .as("no test hooks unless asked for")
                    .isEqualTo(404);
        }
    }

    @Test
    void theTestHookKillsTheNamedLoopsOnlyWhenTurnedOn() throws Exception {
        Heartbeat decision = new Heartbeat(java.time.Clock.systemUTC());
        HealthChecks health = new HealthChecks()
                .add("decision/batch", decision, Duration.ofSeconds(30), () -> decision.fatal(new Error("killed")));
        try (MetricsHttpServer server = new MetricsHttpServer(
                new InetSocketAddress("127.0.0.1", 0), new PrometheusMetrics(), Optional::empty, health, true)) {
            assertThat(get(server, "/debug/kill?loop=decision").statusCode())
                    .as("POST only")
                    .isEqualTo(400);
            assertThat(post(server, "/debug/kill?loop=migrate").statusCode())
                    .as("no such loop")
                    .isEqualTo(404);
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> killed = post(server, "/debug/kill?loop=decision");
            assertThat(List.of(killed.statusCode(), killed.body()))
                    .containsExactly(200, "killed 1 loop(s) named decision\n");
            HttpResponse<String> health503 = get(server, "/healthz");
            assertThat(List.of(health503.statusCode(), health503.body()))
                    .containsExactly(503, "decision/batch: the loop died: java.lang.Error: killed\n");
        }
    }

    private static HttpResponse<String> post(MetricsHttpServer server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(MetricsHttpServer server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
