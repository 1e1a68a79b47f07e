package io.qshard.bench.webhook;

import io.qshard.bench.e2e.CpuTime;
import io.qshard.localcluster.Pki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The oversale webhook under load, as the apiserver sees it: {@code qshard webhook} in its own JVM pinned to one core
 * ({@code taskset}, the launcher's JVM options), a load generator pinned to the other core posting the 18 KB review of
 * a kubelet status update over HTTPS with keep-alive from several connections. Client-side latency of every request
 * in an HdrHistogram; the server's cpu from /proc.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.webhook.WebhookLoadBench --seconds 30 --connections 8</pre>
 */
@Command(name = "webhook-load", mixinStandardHelpOptions = true)
public final class WebhookLoadBench implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "30", description = "Measured seconds.")
    int seconds;

    @Option(
            names = "--warm-up",
            defaultValue = "15",
            description = "Seconds of closed-loop load first (the JIT compiles).")
    int warmUp;

    @Option(
            names = "--settle",
            defaultValue = "10",
            description = "Seconds the measured schedule runs before it is recorded (start-up transients).")
    int settle;

    @Option(names = "--connections", defaultValue = "8")
    int connections;

    @Option(
            names = "--rate",
            defaultValue = "0",
            description = "Reviews per second in all, sent on a fixed schedule (open loop; latency counted from the "
                    + "intended send time, so stalls are not hidden); 0: each connection sends as fast as it can.")
    double rate;

    @Option(names = "--server-threads", defaultValue = "1")
    int serverThreads;

    @Option(
            names = "--server-java-opts",
            defaultValue = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            description = "The server JVM's options (default: bin/qshard's).")
    String serverOpts;

    @Option(names = "--jar", defaultValue = "qshard-cli/target/qshard.jar")
    Path jar;

    @Option(names = "--review", defaultValue = "oversale-webhook/src/test/resources/node-status-review.json")
    Path review;

    private static final boolean TIMELINE = Boolean.getBoolean("timeline");
    private static final long EPOCH = System.nanoTime();

    public static void main(String[] args) {
        System.exit(new CommandLine(new WebhookLoadBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("webhook-load");
        Pki ca = Pki.newCa("webhook-load-ca");
        Path[] files = ca.issueServing("webhook", List.of("127.0.0.1")).write(dir, "webhook");
        Files.writeString(dir.resolve("ca.crt"), ca.caPem());
        int port = 20_000 + (int) (ProcessHandle.current().pid() % 20_000);
        new ProcessBuilder(
                        "taskset",
                        "-cp",
                        "0",
                        Long.toString(ProcessHandle.current().pid()))
                .start()
                .waitFor();
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "1", "java"));
        cmd.addAll(List.of(serverOpts.trim().split("\\s+")));
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "webhook",
                "--tls-cert",
                files[1].toString(),
                "--tls-key",
                files[0].toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--threads",
                Integer.toString(serverThreads),
                "--metrics-port",
                "0"));
        Process server = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        try {
            SSLContext tls = trusting(dir.resolve("ca.crt"));
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            byte[] body = Files.readAllBytes(review);
            URI uri = URI.create("https://127.0.0.1:" + port + "/mutate");
            awaitUp(client, uri, body);
            Recorder recorder = new Recorder(3_600_000_000_000L, 3);
            AtomicLong errors = new AtomicLong();
            // warm-up: closed loop (as fast as each connection can), so the JIT compiles the hot path
            run(tls, port, body, warmUp, 0, recorder, errors);
            recorder.getIntervalHistogram(); // discard the warm-up
            errors.set(0);
            // measured: one schedule from now; its first --settle seconds are not recorded
            double[] cpu0 = new double[2];
            long[] t0 = new long[1];
            Thread mark = new Thread(() -> {
                try {
                    Thread.sleep(settle * 1000L); // benchmark settling window, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
                recorder.getIntervalHistogram();
                errors.set(0);
                cpu0[0] = CpuTime.of(server.pid());
                cpu0[1] = CpuTime.of(ProcessHandle.current().pid());
                t0[0] = System.nanoTime();
            });
            mark.start();
            run(tls, port, body, settle + seconds, rate, recorder, errors);
            mark.join();
            double wall = (System.nanoTime() - t0[0]) / 1e9;
            double cpu = CpuTime.of(server.pid()) - cpu0[0];
            double self = CpuTime.of(ProcessHandle.current().pid()) - cpu0[1];
            Histogram h = recorder.getIntervalHistogram();
            System.out.printf(
                    Locale.ROOT,
                    "%d connections, %s, server on 1 core (%s): %.0f reviews/s, server cpu %.0f %% of its "
                            + "core (client %.0f %%); client-side latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; errors %d%n",
                    connections,
                    rate > 0 ? String.format(Locale.ROOT, "open loop at %.0f/s", rate) : "closed loop",
                    serverOpts,
                    h.getTotalCount() / wall,
                    100 * cpu / wall,
                    100 * self / wall,
                    h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6,
                    h.getMaxValue() / 1e6,
                    errors.get());
        } finally {
            server.destroy();
            server.waitFor();
        }
        return 0;
    }

    /** Connects every connection first (TLS handshake, one request), then runs all schedules from a common start. */
    private void run(
            SSLContext tls,
            int port,
            byte[] body,
            int forSeconds,
            double perSecond,
            Recorder recorder,
            AtomicLong errors)
            throws Exception {
        List<LeanHttpsClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            LeanHttpsClient c = new LeanHttpsClient(tls, "127.0.0.1", port, "/mutate", body);
            c.post();
            clients.add(c);
        }
        long start = System.nanoTime() + 50_000_000L;
        long end = start + forSeconds * 1_000_000_000L;
        long interval = perSecond > 0 ? (long) (1e9 * connections / perSecond) : 0;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            LeanHttpsClient c = clients.get(i);
            long first = start + interval * i / connections;
            Thread t = new Thread(() -> load(c, first, end, interval, recorder, errors), "load-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (LeanHttpsClient c : clients) {
            c.close();
        }
    }

    private static void load(
            LeanHttpsClient c, long first, long end, long interval, Recorder recorder, AtomicLong errors) {
        long next = first;
        java.util.concurrent.locks.LockSupport.parkNanos(first - System.nanoTime());
        try {
            while (System.nanoTime() < end) {
                long t0;
                if (interval > 0) {
                    t0 = next; // the intended send time: a late answer delays the next send, and counts that delay
                    next += interval;
                    long wait = t0 - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                } else {
                    t0 = System.nanoTime();
                }
                if (c.post() != 200) {
                    errors.incrementAndGet();
                }
                long took = System.nanoTime() - t0;
                recorder.recordValue(took);
                if (TIMELINE && took > 50_000_000L) {
                    System.err.printf("slow: %d ms at %.2f s%n", took / 1_000_000, (System.nanoTime() - EPOCH) / 1e9);
                }
            }
        } catch (IOException e) {
            errors.incrementAndGet();
        }
    }

    private static void awaitUp(HttpClient client, URI uri, byte[] body) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(uri)
                                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(200); // polling a server that is starting, in a benchmark harness
            }
        }
        throw new IllegalStateException("the webhook did not come up");
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
