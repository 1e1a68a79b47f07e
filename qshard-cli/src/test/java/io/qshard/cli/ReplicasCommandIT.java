package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.client.ApiClients;
import io.qshard.kube.process.UserError;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.fixtures.ProcessOutput;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qshard replicas status} and {@code run} against the real apiserver (with controller-manager, so Deployments
 * make pods): status plans the opted-in workloads in dry-run and prints them — hosted, left to an HPA, invalid — and
 * writes nothing; {@code --kinds} is checked by discovery before anything starts.
 */
@RealControlPlane(controllerManager = true)
class ReplicasCommandIT {
    private static final Pattern SERVING = Pattern.compile("/metrics, /healthz and /readyz on port (\\d+)");

    @Test
    void statusPrintsEachOptedInWorkloadAndWritesNothing(
            KubernetesClient admin, LocalControlPlane cp, @TempDir Path tmp) throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        admin.nodes().delete(); // only these two: hosting freezes unless 90 % of the nodes report
        String ns = Namespaces.fresh(admin, "replicas-status");
        for (String n : List.of("a", "b")) {
            admin.resource(NodeFixture.node("rs-" + n)
                            .cpu("16")
                            .memory("64Gi")
                            .label("sim", "rs")
                            .build())
                    .create();
        }
        Path config = Files.writeString(
                tmp.resolve("qshard.yaml"),
                "pools:\n  reportInterval: 1s\n  staleAfter: 5s\npredictions:\n  enabled: false\n");
        QshardConfig cfg = RunCommand.loadConfig(config);
        // 2 × (0.85 − 0.05) × 16 = 25.6 cores of batch pool, no prod: etl (1 core a pod) has room up to its max, 6
        admin.resource(deployment(
                        ns,
                        "etl",
                        2,
                        Map.of(
                                HostingAnnotations.HOSTING, "true",
                                HostingAnnotations.MIN, "1",
                                HostingAnnotations.MAX, "6")))
                .create();
        admin.resource(deployment(
                        ns,
                        "web",
                        3,
                        Map.of(
                                HostingAnnotations.HOSTING, "true",
                                HostingAnnotations.MAX, "9")))
                .create();
        admin.autoscaling()
                .v1()
                .horizontalPodAutoscalers()
                .inNamespace(ns)
                .resource(new HorizontalPodAutoscalerBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withNewScaleTargetRef("apps/v1", "Deployment", "web")
                        .withMinReplicas(1)
                        .withMaxReplicas(10) // contains its 3: the HPA controller leaves them be without metrics
                        .withTargetCPUUtilizationPercentage(80)
                        .endSpec()
                        .build())
                .create();
        admin.resource(deployment(
                        ns,
                        "bad",
                        2,
                        Map.of(
                                HostingAnnotations.HOSTING, "true",
                                HostingAnnotations.MAX, "lots")))
                .create();
        admin.resource(deployment(ns, "plain", 1, Map.of())).create();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> admin.pods().inNamespace(ns).list().getItems().size() == 2 + 3 + 2 + 1);
        Map<String, Deployment> before = deployments(admin, ns);
        try {
            statusPrintsAndWritesNothing(admin, cp, ns, config, cfg, before);
        } finally {
            admin.apps().deployments().inNamespace(ns).delete(); // no hosted workload left for the other tests
        }
    }

    private static void statusPrintsAndWritesNothing(
            KubernetesClient admin,
            LocalControlPlane cp,
            String ns,
            Path config,
            QshardConfig cfg,
            Map<String, Deployment> before)
            throws Exception {
        CliRun.Result r;
        try (SimulatorProcess sim = SimulatorProcess.start(
                ApiClients.create(
                        io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                cp.kubeconfig().toFile()),
                        "qshard-it-simulator"),
                cfg,
                SimulationSettings.of(new Idle())
                        .withNodeLabels(Map.of("sim", "rs"))
                        .withUtilisation(new PodUtilisation(1.0, 1.0, 1))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(2),
                Duration.ofSeconds(30),
                Clock.systemUTC())) {
            r = CliRun.run(
                    "replicas",
                    "status",
                    "--kubeconfig=" + cp.kubeconfig(),
                    "--config=" + config,
                    "--observe=20s",
                    "-n",
                    ns);
        }

        System.out.println("qshard replicas status printed:\n" + r.out()); // in the failsafe report
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).noneMatch(l -> l.startsWith("frozen"));
        assertThat(lines)
                .anyMatch(
                        l -> l.startsWith("tier batch: net pool ") && l.contains(", 1 hosted, replicas 2 (request 2)"));
        // its 2 pods are pending (no batch scheduler runs) but fit; 4 more fit: desired 6, its max; over 20 s the
        // up window (shortened to 10 s) is spanned, and one step (max(4, 50 %)) takes it there
        assertThat(row(lines, "Deployment/etl"))
                .as("min, max, request, current, bound, pending, desired, next")
                .startsWith(ns, "Deployment/etl", "batch", "1", "6", "2", "2", "0", "2", "6", "6");
        assertThat(row(lines, "Deployment/web")).startsWith(ns, "Deployment/web", "batch", "1", "9", "3", "3", "-");
        assertThat(String.join(" ", row(lines, "Deployment/web")))
                .contains("left alone: HorizontalPodAutoscaler")
                .contains("web");
        assertThat(row(lines, "Deployment/bad")).startsWith(ns, "Deployment/bad", "batch", "-", "-", "2", "2", "-");
        assertThat(String.join(" ", row(lines, "Deployment/bad"))).contains("invalid:", HostingAnnotations.MAX);
        assertThat(r.out()).doesNotContain("Deployment/plain");

        // a dry run: no scale, no annotation, no Event
        Map<String, Deployment> after = deployments(admin, ns);
        for (String name : before.keySet()) {
            assertThat(after.get(name).getMetadata().getGeneration())
                    .as(name)
                    .isEqualTo(before.get(name).getMetadata().getGeneration());
            assertThat(after.get(name).getMetadata().getAnnotations())
                    .as(name)
                    .isEqualTo(before.get(name).getMetadata().getAnnotations());
        }
        List<Event> events = admin.v1().events().inNamespace(ns).list().getItems();
        assertThat(events)
                .noneMatch(e -> e.getSource() != null
                        && "qshard-replicas".equals(e.getSource().getComponent()));
        assertThat(events).noneMatch(e -> e.getReason() != null && e.getReason().startsWith("Replica"));
    }

    @Test
    void kindsAreCheckedByDiscoveryBeforeAnythingStarts(LocalControlPlane cp) {
        for (String[] c : new String[][] {
            {"apps/v1/nope", "--kinds: the apiserver serves no apps/v1/nope"},
            {"v1/pods", "--kinds: v1/pods has no scale subresource"},
            {"nope.example.com/v1/things", "--kinds: "}
        }) {
            CliRun.Result r = CliRun.run(
                    "replicas", "run", "--kubeconfig=" + cp.kubeconfig(), "--metrics-port=0", "--kinds", c[0]);
            assertThat(r.exit()).as(r.err()).isEqualTo(UserError.EXIT_CODE);
            assertThat(r.errLines()).singleElement().asString().startsWith("error: " + c[1]);
        }
    }

    @Test
    void theShippedCommandScalesAsItsServiceAccountServesMetricsAndStopsOnSigterm(
            KubernetesClient admin, LocalControlPlane cp, @TempDir Path tmp) throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        admin.nodes().delete(); // only these two: hosting freezes unless 90 % of the nodes report
        String ns = Namespaces.fresh(admin, "replicas-run");
        for (String n : List.of("a", "b")) {
            admin.resource(NodeFixture.node("rr-" + n)
                            .cpu("16")
                            .memory("64Gi")
                            .label("sim", "rr")
                            .build())
                    .create();
        }
        Path config = Files.writeString(
                tmp.resolve("qshard.yaml"),
                "pools:\n  reportInterval: 1s\n  staleAfter: 5s\npredictions:\n  enabled: false\n");
        admin.resource(deployment(
                        ns,
                        "etl",
                        2,
                        Map.of(
                                HostingAnnotations.HOSTING, "true",
                                HostingAnnotations.MIN, "1",
                                HostingAnnotations.MAX, "6")))
                .create();
        // the manifest's RBAC (not its Deployment: no kubelet here runs the image)
        List<HasMetadata> rbac;
        try (InputStream in = Files.newInputStream(Path.of("..", "manifests", "replicas", "replicas.yaml"))) {
            rbac = admin.load(in).items().stream()
                    .filter(o -> !(o instanceof Deployment))
                    .toList();
        }
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        rbac.forEach(o ->
                admin.resource(o).fieldManager("qshard-it").forceConflicts().serverSideApply());

        try (SimulatorProcess sim = SimulatorProcess.start(
                ApiClients.create(
                        io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                cp.kubeconfig().toFile()),
                        "qshard-it-simulator"),
                RunCommand.loadConfig(config),
                SimulationSettings.of(new Idle())
                        .withNodeLabels(Map.of("sim", "rr"))
                        .withUtilisation(new PodUtilisation(1.0, 1.0, 1))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(2),
                Duration.ofSeconds(30),
                Clock.systemUTC())) {
            Process p = new ProcessBuilder(
                            Path.of("..", "bin", "qshard").toString(),
                            "replicas",
                            "run",
                            "--config=" + config,
                            "--kubeconfig=" + cp.kubeconfigAs("qshard-replicas"),
                            "--lease-namespace=" + LocalControlPlane.SERVICE_ACCOUNT_NAMESPACE,
                            "--identity=replicas-it",
                            "--metrics-port=0",
                            "--period=1s",
                            "--warm-up=0s",
                            "--up-window=2s",
                            "--min-interval=1s")
                    .redirectErrorStream(true)
                    .start();
            List<String> log = new CopyOnWriteArrayList<>();
            ProcessOutput.drain(p, log);
            boolean stopped;
            try {
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
                // 2 → 6 in one step (max(4, 50 %)), through the annotations patch and the Scale PUT its RBAC allows
                await("etl scaled to its max")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> admin.apps()
                                        .deployments()
                                        .inNamespace(ns)
                                        .withName("etl")
                                        .get()
                                        .getSpec()
                                        .getReplicas()
                                == 6);
                Map<String, String> book = admin.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("etl")
                        .get()
                        .getMetadata()
                        .getAnnotations();
                assertThat(book)
                        .containsEntry(HostingAnnotations.REQUEST, "2")
                        .containsEntry(HostingAnnotations.SET, "6")
                        .containsEntry(HostingAnnotations.SET_FROM, "2");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> admin.v1().events().inNamespace(ns).list().getItems().stream()
                                .anyMatch(e -> "ReplicasScaledUp".equals(e.getReason())
                                        && e.getMessage().startsWith("2 → 6 replicas: ")));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    PromScrape m = PromScrape.of(port);
                    assertThat(m.sum("qshard_replicas_changes_total", "direction=\"up\"", "result=\"written\""))
                            .isEqualTo(1);
                    assertThat(m.sum("qshard_replicas_changes_total", "result=\"failed\""))
                            .isZero();
                    assertThat(m.sum("qshard_replicas_leader")).isEqualTo(1);
                    assertThat(m.sum("qshard_replicas_frozen")).isZero();
                    assertThat(PromScrape.get(port, "/readyz").statusCode()).isEqualTo(200);
                    assertThat(PromScrape.get(port, "/healthz").statusCode()).isEqualTo(200);
                });
            } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        e.getMessage() + "\noutput:\n"
                                + String.join("\n", log.subList(Math.max(0, log.size() - 60), log.size())),
                        e);
            } finally {
                p.toHandle().destroy(); // SIGTERM: a clean stop exits 0
                stopped = p.waitFor(30, TimeUnit.SECONDS);
                if (!stopped) {
                    p.destroyForcibly().waitFor();
                }
            }
            assertThat(stopped).as("stopped within 30 s of SIGTERM").isTrue();
            assertThat(p.exitValue()).as(String.join("\n", log)).isZero();
        } finally {
            admin.apps().deployments().inNamespace(ns).delete(); // no hosted workload left for the other tests
        }
    }

    /** The cells of the row of {@code workload}. */
    private static List<String> row(List<String> lines, String workload) {
        return lines.stream()
                .map(l -> List.of(l.split(" +")))
                .filter(cells -> cells.size() > 1 && cells.get(1).equals(workload))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + workload + " in\n" + String.join("\n", lines)));
    }

    private static Map<String, Deployment> deployments(KubernetesClient admin, String ns) {
        Map<String, Deployment> out = new HashMap<>();
        admin.apps()
                .deployments()
                .inNamespace(ns)
                .list()
                .getItems()
                .forEach(d -> out.put(d.getMetadata().getName(), d));
        return out;
    }

    /** A batch Deployment of 1-core pods. */
    private static Deployment deployment(String ns, String name, int replicas, Map<String, String> annotations) {
        Pod template = PodFixture.pod(name)
                .tier("batch")
                .cpuMilli(1_000)
                .memoryMi(1024)
                .label("app", name)
                .build();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withSpec(template.getSpec())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** No prod load. */
    private static final class Idle implements BackgroundLoad {
        @Override
        public double cpu(String node, int index, double elapsedSeconds) {
            return 0;
        }

        @Override
        public double memory(String node, int index, double elapsedSeconds) {
            return 0;
        }
    }
}
