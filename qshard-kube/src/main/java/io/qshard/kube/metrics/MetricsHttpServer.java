package io.qshard.kube.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
 * {@code /healthz} (the process is up) and {@code /readyz} (200 "ok", or 503 with why not) on one port, from the JDK's
 * HTTP server on one daemon thread. Start it before anything slow (informer sync),
 * so probes see "not ready" rather than a closed port. Thread-safe; the suppliers are called on its thread.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsHttpServer.class);

    private final HttpServer server;

    /**
     * @param address        where to listen (port 0: any free port, see {@link #port()})
     * @param metrics        the registry served on {@code /metrics} (scraped on this server's thread)
     * @param notReadyReason empty when ready, else the reason (one line)
     */
    public MetricsHttpServer(
            InetSocketAddress address, PrometheusMetrics metrics, Supplier<Optional<String>> notReadyReason)
            throws IOException {
        server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "qshard-metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> respond(ex, 200, PrometheusMetrics.CONTENT_TYPE, metrics::text));
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", () -> "ok\n"));
        server.createContext("/readyz", ex -> {
            Optional<String> why;
            try {
                why = notReadyReason.get();
            } catch (RuntimeException e) {
                why = Optional.of("readiness check failed: " + e);
            }
            String body = why.map(w -> w + "\n").orElse("ok\n");
            respond(ex, why.isPresent() ? 503 : 200, "text/plain", () -> body);
        });
        server.start();
        LOG.info("/metrics, /healthz and /readyz on port {}", port());
    }

    /** The port listened on. */
    public int port() {
        return server.getAddress().getPort();
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
