package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.Pki;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's health on loopback, with handlers that have a bug: an exception is one review answered 500 (the
 * apiserver's failurePolicy Ignore then admits the write unchanged) and counted, the server stays healthy; an
 * {@link Error} on the event loop makes {@code /healthz} fail at once; the event loop's timer keeps the heartbeat fresh.
 */
class WebhookServerHealthTest {
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private final HandClock clock = new HandClock();
    private final PrometheusMetrics exported = new PrometheusMetrics();
    private Pki ca;
    private WebhookServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private WebhookServer serve(WebhookServer.Review review) {
        ca = Pki.newCa("qshard-webhook-test-ca");
        Path[] files = ca.issueServing("qshard-webhook", List.of("127.0.0.1", "localhost"))
                .write(dir, "webhook");
        server = new WebhookServer(
                new InetSocketAddress("127.0.0.1", 0),
                new WebhookTls(files[1], files[0]),
                review,
                exported,
                0,
                1,
                clock);
        return server;
    }

    @Test
    void aHandlerExceptionIsAnsweredServerErrorAndCountedAndTheServerStaysHealthy() throws Exception {
        serve(body -> {
            throw new IllegalStateException("a bug in the handler");
        });
        HttpResponse<String> review = mutate("{\"request\":{\"uid\":\"u1\"}}");
        assertThat(List.of(review.statusCode(), review.body())).containsExactly(500, "internal error");
        assertThat(server.errors()).isEqualTo(1);
        assertThat(plain("/metrics").body()).contains("qshard_webhook_errors_total 1.0");
        HttpResponse<String> health = plain("/healthz");
        assertThat(List.of(health.statusCode(), health.body())).containsExactly(200, "ok\n");
        assertThat(plain("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void anErrorOnTheEventLoopFailsHealthzAtOnce() throws Exception {
        serve(body -> {
            throw new StackOverflowError("deep");
        });
        assertThat(mutate("{}").statusCode()).isEqualTo(500);
        HttpResponse<String> health = plain("/healthz");
        assertThat(List.of(health.statusCode(), health.body()))
                .containsExactly(503, "webhook: the loop died: java.lang.StackOverflowError: deep\n");
        assertThat(server.health().unhealthyReason()).isPresent();
    }

    @Test
    void theEventLoopKeepsItsHeartbeatFresh() throws Exception {
        serve(body -> new byte[0]);
        clock.advance(WebhookServer.HEARTBEAT_MAX_AGE.multipliedBy(3));
        // stale for at most a beat: the timer on the event loop beats it again
        await().atMost(Duration.ofSeconds(10)).until(() -> plain("/healthz").statusCode() == 200);
        assertThat(server.health().unhealthyReason()).isEmpty();
    }

    /** A clock the test moves by hand (this module's tests do not see qshard-kube's test helpers). */
    static final class HandClock extends java.time.Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private HttpResponse<String> plain(String path) throws Exception {
        return PLAIN.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> mutate(String body) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry(
                "ca",
                CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(ca.caPem().getBytes(StandardCharsets.UTF_8))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
        return https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/mutate"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
