package io.qshard.oversale;

import io.qshard.kube.health.HealthChecks;
import io.qshard.kube.health.Heartbeat;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code qshard webhook}'s servers, on Vert.x: HTTPS with {@code POST /mutate} (the admission handler, run on the event
 * loop — it is pure cpu, tens of microseconds), {@code GET /healthz} and {@code GET /readyz}, TLS by BoringSSL
 * (netty-tcnative) where it loads, else the JDK's; plain HTTP {@code /metrics}, {@code /healthz} and {@code /readyz} on
 * another port. The certificate files are checked every few seconds and a rotated pair is swapped in without a
 * restart. Bodies above {@link #MAX_BODY} are refused (413).
 *
 * <p>Health: a timer on the event loop beats the {@link #health()} check {@code webhook} every second; {@code /healthz}
 * answers 503 once it is older than {@link #HEARTBEAT_MAX_AGE} (the loop is blocked or gone) or fatal (an {@link Error}
 * reached the event loop). A review whose handler throws is a bug: logged, counted
 * ({@code qshard_webhook_errors_total}) and answered 500, so the apiserver applies the configuration's
 * {@code failurePolicy: Ignore} — the write is admitted unchanged. Thread-safe.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    /** Largest request body read: 3 MiB (a Node object is typically a few KiB). */
    public static final int MAX_BODY = 3 << 20;

    /** The largest healthy age of the event loop's heartbeat (it beats every second). */
    public static final Duration HEARTBEAT_MAX_AGE = Duration.ofSeconds(10);

    private static final long RELOAD_CHECK_MS = 5_000;
    private static final long BEAT_MS = 1_000;

    /** Answers one review body (the {@link AdmissionHandler}'s contract). */
    interface Review {
        byte[] handle(byte[] body) throws AdmissionHandler.MalformedReview;
    }

    private final Vertx vertx;
    private final HttpServer https;
    private final HttpServer metricsServer;
    private final boolean nativeTls;
    private final Heartbeat heartbeat;
    private final HealthChecks health = new HealthChecks();
    private final LongAdder errors = new LongAdder();

    /** As the full constructor, on the system clock. */
    public WebhookServer(
            InetSocketAddress address,
            WebhookTls tls,
            AdmissionHandler handler,
            PrometheusMetrics metrics,
            int metricsPort,
            int threads) {
        this(address, tls, handler::handle, metrics, metricsPort, threads, Clock.systemUTC());
    }

    /**
     * @param address     where to serve HTTPS (e.g. 0.0.0.0:9443; port 0 picks a free one)
     * @param tls         the serving certificate (validated; its files are watched)
     * @param handler     the admission handler
     * @param metrics     the registry served on /metrics (its {@link WebhookMetrics} among it)
     * @param metricsPort plain-HTTP port of /metrics (0: any free one, see {@link #metricsPort()}; negative: none)
     * @param threads     event loops (one per core the webhook may use)
     * @param clock       the heartbeat's time
     */
    WebhookServer(
            InetSocketAddress address,
            WebhookTls tls,
            Review handler,
            PrometheusMetrics metrics,
            int metricsPort,
            int threads,
            Clock clock) {
        this.heartbeat = new Heartbeat(clock);
        health.add("webhook", heartbeat, HEARTBEAT_MAX_AGE);
        metrics.counterWithCallback(
                "qshard_webhook_errors_total",
                "reviews whose handler failed (a bug; answered 500, admitted unchanged by failurePolicy Ignore)",
                List.of(),
                out -> out.sample(errors.sum()));
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(threads)
                .setUseDaemonThread(true)
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        this.nativeTls = OpenSSLEngineOptions.isAvailable();
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setTcpNoDelay(true)
                .setReusePort(false)
                .setKeyCertOptions(keyCert(tls))
                .setSslEngineOptions(nativeTls ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
        try {
            this.https = await(vertx.createHttpServer(options)
                    .requestHandler(req -> route(req, handler))
                    .listen(address.getPort(), address.getHostString()));
            this.metricsServer = metricsPort < 0
                    ? null
                    : await(vertx.createHttpServer()
                            .requestHandler(req -> plain(req, metrics))
                            .listen(metricsPort));
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        vertx.exceptionHandler(this::uncaught);
        vertx.setPeriodic(BEAT_MS, id -> heartbeat.beat());
        FileTime[] seen = {mtime(tls.cert()), mtime(tls.key())};
        vertx.setPeriodic(RELOAD_CHECK_MS, id -> {
            FileTime c = mtime(tls.cert());
            FileTime k = mtime(tls.key());
            if (c != null && k != null && (!c.equals(seen[0]) || !k.equals(seen[1]))) {
                seen[0] = c;
                seen[1] = k;
                try {
                    tls.validate();
                    https.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(keyCert(tls)))
                            .onSuccess(v -> LOG.info("serving certificate reloaded from {}", tls.cert()))
                            .onFailure(e -> LOG.warn("keeping the current serving certificate: {}", e.getMessage()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("keeping the current serving certificate: {}", e.getMessage());
                }
            }
        });
        LOG.info(
                "oversale webhook serving https://{}:{}/mutate (TLS: {}){}",
                address.getHostString(),
                port(),
                nativeTls ? "BoringSSL via netty-tcnative" : "JDK JSSE",
                metricsServer == null ? "" : ", /metrics on port " + metricsPort());
    }

    /** @return the plain-HTTP port of /metrics (the one bound, when 0 was asked), or -1 when it serves none */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.actualPort();
    }

    /**
     * The event loop's health: the check {@code webhook} ({@link #HEARTBEAT_MAX_AGE}); what {@code /healthz} answers
     * and what {@code --exit-on-fatal} watches.
     */
    public HealthChecks health() {
        return health;
    }

    /** Reviews whose handler threw so far. */
    public long errors() {
        return errors.sum();
    }

    /** An exception no handler caught reached Vert.x: an {@link Error} means the event loop cannot be trusted. */
    private void uncaught(Throwable t) {
        if (t instanceof Error) {
            LOG.error("an Error reached the webhook's event loop; /healthz fails from now on", t);
            heartbeat.fatal(t);
        } else {
            LOG.error("uncaught exception on the webhook's event loop (a bug)", t);
        }
    }

    /** The plain-HTTP port: {@code /healthz}, {@code /readyz} (serving: always ready), anything else the metrics. */
    private void plain(HttpServerRequest req, PrometheusMetrics metrics) {
        switch (req.path()) {
            case "/healthz" -> healthz(req.response());
            case "/readyz" -> req.response().end("ok\n");
            default -> scrape(req.response(), metrics);
        }
    }

    private void healthz(HttpServerResponse response) {
        Optional<String> why = health.unhealthyReason();
        response.setStatusCode(why.isPresent() ? 503 : 200)
                .end(why.map(w -> w + "\n").orElse("ok\n"));
    }

    private static void scrape(HttpServerResponse response, PrometheusMetrics metrics) {
        try {
            response.putHeader("Content-Type", PrometheusMetrics.CONTENT_TYPE).end(metrics.text());
        } catch (RuntimeException e) {
            LOG.warn("/metrics failed", e);
            response.setStatusCode(500).end("error: " + e + "\n");
        }
    }

    /** @return the HTTPS port (the one bound, when 0 was asked) */
    public int port() {
        return https.actualPort();
    }

    /** @return whether TLS is done by BoringSSL */
    public boolean nativeTls() {
        return nativeTls;
    }

    private void route(HttpServerRequest req, Review handler) {
        String path = req.path();
        if ("/healthz".equals(path)) {
            healthz(req.response());
            return;
        }
        if ("/readyz".equals(path)) {
            req.response().end("ok\n");
            return;
        }
        if (!"/mutate".equals(path)) {
            req.response().setStatusCode(404).end();
            return;
        }
        if (req.method() != io.vertx.core.http.HttpMethod.POST) {
            req.response().setStatusCode(405).end("POST an AdmissionReview");
            return;
        }
        String length = req.getHeader("Content-Length");
        if (length != null && length.length() < 12 && Long.parseLong(length) > MAX_BODY) {
            req.response().setStatusCode(413).end("body too large");
            return;
        }
        Buffer body = Buffer.buffer(length == null ? 16 * 1024 : Integer.parseInt(length));
        req.handler(chunk -> {
            if (body.length() + chunk.length() <= MAX_BODY) {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> answer(req.response(), handler, body));
    }

    private void answer(HttpServerResponse response, Review handler, Buffer body) {
        if (body.length() >= MAX_BODY) {
            response.setStatusCode(413).end("body too large");
            return;
        }
        try {
            byte[] out = handler.handle(body.getBytes());
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(out));
        } catch (AdmissionHandler.MalformedReview e) {
            response.setStatusCode(400).end(e.getMessage());
        } catch (RuntimeException e) {
            errors.increment();
            LOG.error(
                    "review failed; this is a bug (answered 500: failurePolicy Ignore admits the write unchanged)", e);
            response.setStatusCode(500).end("internal error");
        } catch (Error e) {
            errors.increment();
            response.setStatusCode(500).end("internal error");
            uncaught(e);
        }
    }

    private static PemKeyCertOptions keyCert(WebhookTls tls) {
        return new PemKeyCertOptions()
                .setCertPath(tls.cert().toString())
                .setKeyPath(tls.key().toString());
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot serve: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server did not start within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Stops both servers and their event loops. */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("webhook did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
