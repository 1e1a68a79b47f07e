package io.qshard.kube.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qshard.kube.health.HealthChecks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} (the Prometheus text format of a {@link PrometheusMetrics}; a failing callback answers 500),
 * {@code /healthz} (200 "ok" while every loop of its {@link HealthChecks} beats, else 503 naming each dead or stale loop
 * and why) and {@code /readyz} (200 "ok", or 503 with why not) on one port, from the JDK's HTTP server on one daemon
 * thread. Start it before anything slow (informer sync), so probes see "not ready" rather than a closed port. With
 * test hooks on (a hidden flag, default off) it also takes {@code POST /debug/kill?loop=NAME}, which kills the named
 * loops through {@link HealthChecks#kill}. Thread-safe; the suppliers are called on its thread.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;

    /** A server whose {@code /healthz} always answers "ok" (no loops to watch) and without test hooks. */
    public MetricsHttpServer(
            InetSocketAddress address, PrometheusMetrics metrics, Supplier<Optional<String>> notReadyReason)
            throws IOException {
        this(address, metrics, notReadyReason, new HealthChecks(), false);
    }

    /**
     * @param address        where to listen (port 0: any free port, see {@link #port()})
     * @param metrics        the registry served on {@code /metrics} (scraped on this server's thread)
     * @param notReadyReason empty when ready, else the reason (one line)
     * @param health         the loops {@code /healthz} answers for (more may be added later)
     * @param testHooks      serve {@code POST /debug/kill?loop=NAME} (tests only: it kills loops)
     */
    public MetricsHttpServer(
            InetSocketAddress address,
            PrometheusMetrics metrics,
            Supplier<Optional<String>> notReadyReason,
            HealthChecks health,
            boolean testHooks)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qshard-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> respond(ex, 200, PrometheusMetrics.CONTENT_TYPE, metrics::text));
        server.createContext("/healthz", ex -> answer(ex, health::unhealthyReason, "health check failed: "));
        server.createContext("/readyz", ex -> answer(ex, notReadyReason, "readiness check failed: "));
        if (testHooks) {
            server.createContext("/debug/kill", ex -> kill(ex, health));
            LOG.warn("test hooks on: POST /debug/kill?loop=NAME kills loops of this process");
        }
        server.start();
        LOG.info("/metrics, /healthz and /readyz on port {}", port());
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** 200 "ok" when {@code problem} is empty, else 503 with it; a check that throws is a 503 naming the exception. */
    private static void answer(HttpExchange ex, Supplier<Optional<String>> problem, String failed) throws IOException {
        Optional<String> why;
        try {
            why = problem.get();
        } catch (RuntimeException e) {
            why = Optional.of(failed + e);
        }
        String body = why.map(w -> w + "\n").orElse("ok\n");
        respond(ex, why.isPresent() ? 503 : 200, "text/plain", () -> body);
    }

    private static void kill(HttpExchange ex, HealthChecks health) throws IOException {
        String query = ex.getRequestURI().getQuery();
        String loop = query != null && query.startsWith("loop=") ? query.substring("loop=".length()) : "";
        if (!"POST".equals(ex.getRequestMethod()) || loop.isEmpty()) {
            respond(ex, 400, "text/plain", () -> "POST /debug/kill?loop=NAME\n");
            return;
        }
        int killed = health.kill(loop);
        LOG.warn("test hook: {} loop(s) named {} told to die", killed, loop);
        respond(ex, killed > 0 ? 200 : 404, "text/plain", () -> "killed " + killed + " loop(s) named " + loop + "\n");
    }

    private static void respond(HttpExchange ex, int code, String type, Supplier<String> body) throws IOException {
        byte[] bytes;
        int status = code;
        try {
            bytes = body.get().getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            LOG.warn("{} failed", ex.getRequestURI().getPath(), e);
            bytes = ("error: " + e + "\n").getBytes(StandardCharsets.UTF_8);
            status = 500;
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
