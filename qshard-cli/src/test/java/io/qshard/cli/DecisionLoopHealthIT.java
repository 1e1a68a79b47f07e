package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.health.FatalExit;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.ProcessOutput;
import io.qshard.localcluster.junit.RealControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's acceptance: {@code bin/qshard run --tier batch --test-hooks} on the real control plane, its decision loop
 * killed through the hidden test hook ({@code POST /debug/kill?loop=decision}, an {@link Error} inside the loop).
 * With {@code --exit-on-fatal} (the default) the process stops and exits {@value FatalExit#EXIT_CODE}; with
 * {@code --exit-on-fatal=false} it stays up and {@code /healthz} answers 503 naming the dead loop — what the manifests'
 * liveness probe restarts it on.
 */
@RealControlPlane
class DecisionLoopHealthIT {
    private static final Pattern SERVING = Pattern.compile("/metrics, /healthz and /readyz on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDeadDecisionLoopFailsHealthzAndEndsTheProcessWithExit70(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        admin.resource(NodeFixture.node("health-node").build()).create();
        List<String> log = new CopyOnWriteArrayList<>();
        Process p = start(cp, log);
        try {
            int port = readyOn(p, log);
            assertThat(PromScrape.get(port, "/healthz").body()).isEqualTo("ok\n");

            assertThat(kill(port, "decision").statusCode()).isEqualTo(200);
            // /healthz fails at once; the process is gone soon after (graceful stop, then exit)
            await("/healthz fails or the process is gone")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions() // its port closes as it stops
                    .until(() -> !p.isAlive() || healthz(port).startsWith("503"));
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("exited; output:%n%s", String.join("\n", log))
                    .isTrue();
            assertThat(p.exitValue()).as("output:%n%s", String.join("\n", log)).isEqualTo(FatalExit.EXIT_CODE);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.stream().anyMatch(l -> l.contains("decision/batch: the loop died")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void withoutExitOnFatalTheProcessStaysUpAndHealthzNamesTheDeadLoop(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        admin.resource(NodeFixture.node("health-node-2").build()).create();
        List<String> log = new CopyOnWriteArrayList<>();
        Process p = start(cp, log, "--exit-on-fatal=false");
        try {
            int port = readyOn(p, log);
            assertThat(kill(port, "migrate").statusCode()).as("no such loop").isEqualTo(404);
            assertThat(PromScrape.get(port, "/healthz").statusCode()).isEqualTo(200);

            assertThat(kill(port, "decision").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> healthz(port).startsWith("503"));
            assertThat(healthz(port)).contains("decision/batch: the loop died").contains("killed by the test hook");
            assertThat(PromScrape.get(port, "/readyz").body()).contains("decision thread not running");
            // it stays up, failing its probes, until it is stopped
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> p.isAlive() && healthz(port).startsWith("503"));

            p.toHandle().destroy(); // SIGTERM: a clean stop still exits 0
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("output:%n%s", String.join("\n", log)).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process start(LocalControlPlane cp, List<String> log, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of("..", "bin", "qshard").toString(),
                "run",
                "--tier",
                "batch",
                "--test-hooks",
                "--metrics-port",
                "0",
                "--grace",
                "5",
                "--kubeconfig",
                cp.kubeconfig().toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ProcessOutput.drain(p, log);
        return p;
    }

    /** The port it named in its log, once {@code /readyz} says it decides (its decision loop is registered). */
    private static int readyOn(Process p, List<String> log) {
        int port = await("the metrics port in the log")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> log.stream()
                                .map(SERVING::matcher)
                                .filter(Matcher::find)
                                .map(m -> Integer.parseInt(m.group(1)))
                                .findFirst()
                                .orElse(0),
                        n -> n > 0);
        await("ready")
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> PromScrape.get(port, "/readyz").statusCode() == 200);
        assertThat(p.isAlive()).isTrue();
        return port;
    }

    private static String healthz(int port) throws Exception {
        HttpResponse<String> r = PromScrape.get(port, "/healthz");
        return r.statusCode() + " " + r.body();
    }

    private static HttpResponse<String> kill(int port, String loop) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug/kill?loop=" + loop))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
