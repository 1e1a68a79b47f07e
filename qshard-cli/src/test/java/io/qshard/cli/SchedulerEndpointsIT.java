package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.ShardMap;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.fixtures.ProcessOutput;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerMetrics;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/qshard run --all-tiers} (prod with 2 shards) authenticated as the qshard-scheduler ServiceAccount: not
 * ready while it cannot list (no RBAC yet), ready once the manifests' scheduler RBAC is applied — which also shows
 * that RBAC suffices for informers, election, shard map upkeep and acknowledgements, bindings and events — then
 * {@code /metrics} after a small backlog, and {@code qshard explain} against the unschedulable pod's FailedScheduling.
 */
@RealControlPlane
class SchedulerEndpointsIT {
    private static final String SYSTEM = LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE;
    private static final Pattern SERVING = Pattern.compile("/metrics, /healthz and /readyz on port (\\d+)");

    @Test
    void readinessMetricsAndExplain(KubernetesClient admin, LocalControlPlane cp, @TempDir Path tmp) throws Exception {
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(SYSTEM)
                        .endMetadata()
                        .build())
                .serverSideApply();
        List<HasMetadata> rbac = load(admin, Path.of("..", "manifests", "scheduler", "rbac.yaml"));
        rbac.forEach(o -> admin.resource(o).withTimeout(30, TimeUnit.SECONDS).delete()); // start without permissions
        admin.resources(ShardMap.class).withName("prod").delete();
        for (int i = 0; i < 3; i++) {
            admin.resource(NodeFixture.node("ep-" + i).cpu("8").memory("32Gi").build())
                    .create();
        }
        Path config = Files.writeString(
                tmp.resolve("qshard.yaml"),
                "tiers:\n  - name: prod\n    shards: 2\nscheduling:\n  shardRotation: 10m\n"); // the whale stays with
        // one shard
        Process p = new ProcessBuilder(
                        Path.of("..", "bin", "qshard").toString(),
                        "run",
                        "--all-tiers",
                        "--config",
                        config.toString(),
                        "--kubeconfig",
                        cp.kubeconfigAs("qshard-scheduler").toString(),
                        "--lease-namespace",
                        SYSTEM,
                        "--identity",
                        "endpoints-it",
                        "--metrics-port",
                        "0",
                        "--sync-timeout",
                        "300")
                .redirectErrorStream(true)
                .start();
        List<String> log = new CopyOnWriteArrayList<>();
        ProcessOutput.drain(p, log);
        try {
            // it binds a free port itself (no port picked here and released: no race) and names it in its log
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
            await("/readyz answers")
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> PromScrape.get(port, "/readyz").statusCode() == 503);
            assertThat(PromScrape.get(port, "/readyz").body()).contains("informers not synced");
            assertThat(PromScrape.get(port, "/healthz").statusCode()).isEqualTo(200);
            // it cannot list nodes or pods: it stays unready (the informers retry, they do not give up)
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> PromScrape.get(port, "/readyz").statusCode() == 503);

            rbac.forEach(o ->
                    admin.resource(o).fieldManager("qshard-it").forceConflicts().serverSideApply());
            try {
                await().atMost(Duration.ofSeconds(150))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> PromScrape.get(port, "/readyz").statusCode() == 200);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "not ready with the manifests' RBAC: "
                                + PromScrape.get(port, "/readyz").body() + "\noutput:\n"
                                + String.join("\n", log.subList(Math.max(0, log.size() - 60), log.size())),
                        e);
            }

            int readyAt = log.size();
            String ns = Namespaces.fresh(admin, "endpoints");
            for (int i = 0; i < 20; i++) {
                admin.resource(PodFixture.pod("small-" + i)
                                .namespace(ns)
                                .tier("prod")
                                .cpuMilli(100)
                                .memoryMi(128)
                                .build())
                        .create();
            }
            admin.resource(PodFixture.pod("whale")
                            .namespace(ns)
                            .tier("prod")
                            .cpuMilli(100_000)
                            .memoryMi(128)
                            .build())
                    .create();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> admin.pods().inNamespace(ns).list().getItems().stream()
                                    .filter(x -> x.getSpec().getNodeName() != null)
                                    .count()
                            == 20);
            Event failed = await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> admin.v1().events().inNamespace(ns).list().getItems().stream()
                                    .filter(e ->
                                            "whale".equals(e.getInvolvedObject().getName())
                                                    && "FailedScheduling".equals(e.getReason()))
                                    .findFirst()
                                    .orElse(null),
                            e -> e != null);

            // the PodScheduled=False condition needs only `patch pods/status` (no read before the patch)
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            admin.pods().inNamespace(ns).withName("whale").get().getStatus().getConditions().stream()
                                    .anyMatch(
                                            c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PromScrape m = PromScrape.of(port);
                // 20 placed, the whale found no node (at least once), nothing failed
                assertThat(m.sum("qshard_scheduling_attempts_total", "tier=\"prod\"", "result=\"scheduled\""))
                        .isEqualTo(20);
                assertThat(m.sum("qshard_scheduling_attempts_total", "tier=\"prod\"", "result=\"unschedulable\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(m.sum("qshard_scheduling_attempts_total", "result=\"error\""))
                        .isZero();
                assertThat(m.sum("qshard_scheduling_attempts_total", "tier=\"mid\""))
                        .isZero();
                // the 20 small pods are one shape: the shard with two nodes decides most of its share from a kept
                // window
                assertThat(m.sum("qshard_scheduling_decisions_reused_total", "tier=\"prod\""))
                        .isBetween(1.0, 19.0);
                assertThat(m.sum("qshard_bindings_total", "tier=\"prod\"", "result=\"bound\""))
                        .isEqualTo(20);
                assertThat(m.sum("qshard_bind_errors_total")).isZero();
                // histograms: one decision per attempt, one end-to-end latency per binding
                double decisions = m.sum("qshard_scheduling_decision_duration_seconds_count", "tier=\"prod\"");
                assertThat(decisions).isEqualTo(m.sum("qshard_scheduling_attempts_total", "tier=\"prod\""));
                assertThat(m.sum("qshard_scheduling_decision_duration_seconds_bucket", "tier=\"prod\"", "le=\"+Inf\""))
                        .isEqualTo(decisions);
                assertThat(m.sum("qshard_scheduling_decision_duration_seconds_sum", "tier=\"prod\""))
                        .isPositive();
                assertThat(m.sum("qshard_scheduling_e2e_duration_seconds_count", "tier=\"prod\""))
                        .isEqualTo(20);
                assertThat(m.sum("qshard_scheduling_e2e_duration_seconds_sum", "tier=\"prod\""))
                        .isPositive();
                // classic buckets at the documented bounds, cumulative: each bound counts at least what the one below
                // does
                for (String shard : List.of("0", "1")) {
                    for (var h : Map.of(
                                    "qshard_scheduling_decision_duration_seconds",
                                    SchedulerMetrics.DECISION_BUCKETS,
                                    "qshard_scheduling_e2e_duration_seconds",
                                    SchedulerMetrics.E2E_BUCKETS)
                            .entrySet()) {
                        String[] labels = {"tier=\"prod\"", "shard=\"" + shard + "\""};
                        var buckets = m.buckets(h.getKey(), labels);
                        assertThat(buckets.keySet())
                                .containsExactlyElementsOf(DoubleStream.concat(
                                                Arrays.stream(h.getValue()), DoubleStream.of(Double.POSITIVE_INFINITY))
                                        .boxed()
                                        .toList());
                        assertThat(List.copyOf(buckets.values()))
                                .isSorted()
                                .last()
                                .isEqualTo(m.sum(h.getKey() + "_count", labels));
                    }
                }
                // the whale waits in one shard's queue
                assertThat(m.sum("qshard_queue_pods", "tier=\"prod\"")).isEqualTo(1);
                // pools: 3 nodes × 8 cores / 32Gi, each in one shard; 20 × 100m requested
                assertThat(m.sum("qshard_pool_capacity", "tier=\"prod\"", "resource=\"cpu\""))
                        .isEqualTo(24);
                assertThat(m.sum("qshard_pool_capacity", "tier=\"prod\"", "resource=\"memory\""))
                        .isEqualTo(3 * 32.0 * (1L << 30));
                assertThat(m.sum("qshard_pool_requested", "tier=\"prod\"", "resource=\"cpu\""))
                        .isEqualTo(2.0);
                assertThat(m.sum("qshard_pool_room", "tier=\"prod\"", "resource=\"cpu\""))
                        .isEqualTo(22.0);
                assertThat(m.sum("qshard_tier_usage", "tier=\"prod\"", "resource=\"cpu\""))
                        .isEqualTo(2.0); // no reports: requests
                // shards: both prod shards lead and acknowledged epoch ≥ 1, every instance leads, nothing is hot
                assertThat(m.sum("qshard_shard_nodes", "tier=\"prod\"")).isEqualTo(3);
                assertThat(m.sum("qshard_shard_epoch", "tier=\"prod\"", "shard=\"0\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(m.sum("qshard_shard_epoch", "tier=\"prod\"", "shard=\"1\""))
                        .isGreaterThanOrEqualTo(1);
                assertThat(m.sum("qshard_leader")).isEqualTo(5); // prod/0, prod/1, mid, batch, free
                assertThat(m.sum("qshard_hot_nodes")).isZero();
                assertThat(m.hasFamily("qshard_usage_reports_total", "counter")).isTrue();
                assertThat(m.hasFamily("qshard_informer_lists_total", "counter"))
                        .isTrue();
            });

            String explained = explain(cp, config, ns, "whale");
            String reasons = failed.getMessage().substring(failed.getMessage().indexOf("0/"));
            assertThat(explained)
                    .contains("pending")
                    .contains("reasons (as in FailedScheduling): " + reasons)
                    .contains("Insufficient cpu");
            String bound = admin.pods()
                    .inNamespace(ns)
                    .withName("small-0")
                    .get()
                    .getSpec()
                    .getNodeName();
            assertThat(explain(cp, config, ns, "small-0"))
                    .contains("bound to " + bound + ":")
                    .contains("top ");
            // every write it made once ready (bindings, events, the PodScheduled condition, acks, leases) was allowed
            assertThat(log.subList(readyAt, log.size())).noneMatch(l -> l.contains("forbidden"));
        } finally {
            p.toHandle().destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            admin.resources(ShardMap.class).withName("prod").delete();
            admin.leases().inNamespace(SYSTEM).delete();
        }
    }

    private static String explain(LocalControlPlane cp, Path config, String ns, String pod) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(
                "explain",
                "-n",
                ns,
                "--pod",
                pod,
                "--config",
                config.toString(),
                "--kubeconfig",
                cp.kubeconfig().toString());
        assertThat(rc).as("explain %s: %s%s", pod, out, err).isZero();
        System.out.println(out); // in the failsafe report: what an operator sees
        return out.toString();
    }

    private static List<HasMetadata> load(KubernetesClient admin, Path file) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return admin.load(in).items();
        }
    }
}
