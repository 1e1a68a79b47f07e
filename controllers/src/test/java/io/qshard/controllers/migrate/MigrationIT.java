package io.qshard.controllers.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1beta1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.metrics.MetricsHttpServer;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The migration loop on the real control plane with controller-manager (ReplicaSets, PDB status) and the simulator
 * (pods Running and Ready, usage reports every second, batch pods at 0.8 × their request). Three 16-core nodes, each
 * with a prod pod requesting 95 % of it (its usage follows the test's load); a Deployment of six 1000m batch pods,
 * all on mg-a (the others cordoned while it rolls out). Reactive rule (predictions off, for a deterministic test):
 * hot above 90 % for 3 reports, cool under 85 %, evict to 80 %, at most 3 per node per cycle, cooldown 15 s.
 *
 * <p>Prod at 65 % on mg-a: usage = 10400 + 6 × 800 = 15200m = 95 % → hot; excess = 15200 − 0.80 × 16000 = 2400m →
 * three 800m pods (no single one covers it: the largest, then again), after which mg-a is at 12800m = 80 %. Prod then
 * rises to 80 %: 12800 + 3 × 800 = 15200m = 95 % again, hot with pods that fit elsewhere, so only the cooldown holds the
 * next three evictions.
 */
@RealControlPlane(controllerManager = true)
class MigrationIT {
    private static final Duration COOLDOWN = Duration.ofSeconds(15);

    /** Background load per node, movable by the test; 20 % until told otherwise. */
    static final class Load implements BackgroundLoad {
        final Map<String, Double> cpu = new ConcurrentHashMap<>();
        final AtomicLong calls = new AtomicLong();
        volatile boolean hover;

        @Override
        public double cpu(String node, int index, double elapsed) {
            if (hover && node.endsWith("-a")) { // 89 %, 91 %, 89 % … of the node with the batch pods on top
                return calls.incrementAndGet() % 2 == 0 ? 0.59 : 0.61;
            }
            return cpu.getOrDefault(node, 0.2);
        }

        @Override
        public double memory(String node, int index, double elapsed) {
            return 0.2;
        }
    }

    private record Fixture(
            String ns,
            String prefix,
            Load load,
            SimulatorProcess sim,
            SchedulerProcess batch,
            QshardConfig cfg,
            Set<String> prodUids)
            implements AutoCloseable {
        String a() {
            return prefix + "-a";
        }

        @Override
        public void close() {
            batch.stop(Duration.ofSeconds(5));
            sim.close();
        }
    }

    @Test
    void hotNodesBatchPodsMoveToCoolNodesUnlessABudgetOrDryRunSaysOtherwise(
            KubernetesClient admin, LocalControlPlane cp) throws Exception {
        try (Fixture f = fixture(admin, cp, "mg", true)) {
            PodDisruptionBudget pdb = admin.resource(new PodDisruptionBudgetBuilder()
                            .withNewMetadata()
                            .withName("etl")
                            .withNamespace(f.ns())
                            .endMetadata()
                            .withNewSpec()
                            .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(0))
                            .withNewSelector()
                            .withMatchLabels(Map.of("app", "etl"))
                            .endSelector()
                            .endSpec()
                            .build())
                    .create();
            f.load().cpu.put(f.a(), 0.65);

            // dry-run: plans the three, evicts nothing
            try (MigrationController dry = controller(admin, cp, f.cfg(), true)) {
                dry.start(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30)).until(() -> dry.planned.sum() >= 3);
            }
            assertThat(batchPods(admin, f))
                    .as("dry-run evicted nothing")
                    .hasSize(6)
                    .allMatch(p -> f.a().equals(node(p)) && !leaving(p));

            PrometheusMetrics metrics = new PrometheusMetrics();
            try (MigrationController loop = controller(admin, cp, f.cfg(), false, metrics);
                    MetricsHttpServer http = new MetricsHttpServer(
                            new InetSocketAddress("127.0.0.1", 0), metrics, loop::notReadyReason)) {
                loop.start(Duration.ofSeconds(30));
                // the budget (maxUnavailable 0) refuses: reported, nothing evicted
                await().atMost(Duration.ofSeconds(30)).until(() -> loop.blocked.sum() >= 1);
                assertThat(loop.evicted.sum()).isZero();
                assertThat(batchPods(admin, f)).noneMatch(MigrationIT::leaving);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> events(admin, f.ns()).contains("MigrationBlocked"));

                // without the budget: three pods leave mg-a, down to the target
                admin.resource(pdb).delete();
                await().atMost(Duration.ofSeconds(60)).until(() -> loop.evicted.sum() >= 3);
                // now keep mg-a hot: prod to 80 % → 12800 + 3 × 800 = 15200m = 95 %, with three batch pods that fit on
                // the
                // cool nodes — only the cooldown can hold the next eviction
                f.load().cpu.put(f.a(), 0.80);
                assertThat(loop.evicted.sum()).as("down to the target: three").isEqualTo(3);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> batchPods(admin, f).stream()
                                .filter(p -> f.a().equals(node(p)))
                                .noneMatch(MigrationIT::leaving)); // the evicted are gone
                long reports = f.sim().simulator().writes.usageWrites.sum();
                // four rounds of reports (three nodes each): enough for mg-a to be hot again had it cooled for a moment
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> f.sim().simulator().writes.usageWrites.sum() >= reports + 4 * 3);
                // on those fresh reports mg-a is hot at 95 %, and the loop leaves it alone for the cooldown only
                assertThat(loop.plan().skips())
                        .as("inside the cooldown")
                        .singleElement()
                        .satisfies(s -> {
                            assertThat(s.node()).isEqualTo(f.a());
                            assertThat(s.reason())
                                    .matches(
                                            "node usage 9[1-9] % > 90 % for 3 reports; cooling down after an eviction");
                        });
                assertThat(loop.evicted.sum()).isEqualTo(3);
                // once it has passed, the hot node loses its other three; every replacement lands on a cool node
                await().atMost(Duration.ofSeconds(60)).until(() -> loop.evicted.sum() >= 6);
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    List<Pod> live = batchPods(admin, f).stream()
                            .filter(p -> !leaving(p))
                            .toList();
                    return live.size() == 6 && live.stream().allMatch(p -> node(p) != null);
                });
                assertThat(batchPods(admin, f).stream().filter(p -> !leaving(p)).map(MigrationIT::node))
                        .as("replacements on cool nodes")
                        .hasSize(6)
                        .allMatch(n -> n.startsWith(f.prefix() + "-") && !n.equals(f.a()));
                assertThat(loop.evicted.sum()).isEqualTo(6);
                // prod untouched
                assertThat(admin.pods()
                                .inNamespace(f.ns())
                                .withLabel("tier", "prod")
                                .list()
                                .getItems())
                        .extracting(p -> p.getMetadata().getUid())
                        .containsExactlyInAnyOrderElementsOf(f.prodUids());
                assertThat(events(admin, "default")).contains("Migrating");
                // the same figures on /metrics, and /readyz says it acts
                List<String> lines = scrape(http.port(), "/metrics").lines().toList();
                assertThat(lines)
                        .contains(
                                "qshard_migration_evictions_total{result=\"evicted\"} 6.0",
                                "qshard_migration_leader 1.0",
                                "# TYPE qshard_migration_hot_nodes gauge",
                                "# TYPE qshard_migration_skipped_total counter")
                        .anyMatch(l -> l.matches(
                                "qshard_migration_evictions_total\\{result=\"blocked_by_budget\"} [1-9][0-9]*\\.0"));
                assertThat(scrape(http.port(), "/readyz")).isEqualTo("ok\n");
            }
        }
    }

    private static String scrape(int port, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void aHoveringNodeDoesNotFlapAndAClusterWithNowhereToGoEvictsNothing(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        try (Fixture f = fixture(admin, cp, "mh", false)) { // the other two nodes stay cordoned: nowhere to go
            f.load().hover = true; // 89 % / 91 % alternating: never three reports above 90 %
            try (MigrationController loop = controller(admin, cp, f.cfg(), false)) {
                loop.start(Duration.ofSeconds(30));
                long reports = f.sim().simulator().writes.usageWrites.sum();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> f.sim().simulator().writes.usageWrites.sum() >= reports + 3 * 8);
                assertThat(loop.plan().skips()).as("not hot at all").isEmpty();
                assertThat(loop.evicted.sum() + loop.skipped.sum()).isZero();

                f.load().hover = false;
                f.load().cpu.put(f.a(), 0.65); // 95 %: hot, but nothing fits elsewhere
                await().atMost(Duration.ofSeconds(30)).until(() -> loop.skipped.sum() >= 1);
                assertThat(loop.plan().skips())
                        .singleElement()
                        .satisfies(s -> assertThat(s.reason())
                                .contains("none of its lower-tier pods fits on another node that is not hot"));
                assertThat(loop.evicted.sum()).isZero();
                assertThat(batchPods(admin, f)).noneMatch(MigrationIT::leaving);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> events(admin, "default").contains("MigrationSkipped"));
            }
        }
    }

    /** Three nodes, prod at 95 % requests on each, six batch pods of a Deployment on node a; the others uncordoned or not. */
    private static Fixture fixture(KubernetesClient admin, LocalControlPlane cp, String prefix, boolean uncordon) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        String ns = Namespaces.fresh(admin, prefix);
        for (String n : List.of("a", "b", "c")) {
            admin.resource(NodeFixture.node(prefix + "-" + n)
                            .cpu("16")
                            .memory("64Gi")
                            .label("sim", prefix)
                            .unschedulable(!"a".equals(n))
                            .build())
                    .create();
        }
        for (String n : List.of("a", "b", "c")) {
            Pod p = PodFixture.pod("prod-" + n)
                    .namespace(ns)
                    .tier("prod")
                    .cpuMilli(15_200)
                    .memoryMi(8 * 1024)
                    .label("tier", "prod")
                    .build();
            p.getSpec().setNodeName(prefix + "-" + n);
            admin.resource(p).create();
        }
        Set<String> prodUids = admin.pods().inNamespace(ns).withLabel("tier", "prod").list().getItems().stream()
                .map(p -> p.getMetadata().getUid())
                .collect(Collectors.toSet());
        QshardConfig cfg = QshardConfig.defaults()
                .withPools(new PoolConfig(0.85, 0.90, 0.05, 0.05, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .withPredictions(QshardConfig.defaults().predictions().withEnabled(false))
                .withMigration(new MigrationConfig(
                        true, 0.90, 3, false, 0.85, 0.80, Duration.ofSeconds(1), COOLDOWN, 100, 3, 10, Duration.ZERO));
        Load load = new Load();
        SimulatorProcess sim = SimulatorProcess.start(
                client(cp, "qshard-it-simulator"),
                cfg,
                SimulationSettings.of(load)
                        .withNodeLabels(Map.of("sim", prefix))
                        .withUtilisation(new PodUtilisation(0.8, 0.8, 1))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(4),
                Duration.ofSeconds(30),
                Clock.systemUTC());
        SchedulerProcess batch = SchedulerProcess.start(
                client(cp, "qshard-it-scheduler"),
                cfg,
                ShippedPlugins.registry(),
                List.of(cfg.tier("batch")),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC());
        Pod template = PodFixture.pod("etl")
                .tier("batch")
                .cpuMilli(1_000)
                .memoryMi(1024)
                .label("app", "etl")
                .build();
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("etl")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(6)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "etl"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "etl"))
                .endMetadata()
                .withSpec(template.getSpec())
                .endTemplate()
                .endSpec()
                .build();
        admin.resource(d).create();
        Fixture f = new Fixture(ns, prefix, load, sim, batch, cfg, prodUids);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> batchPods(admin, f).stream()
                                .filter(p -> f.a().equals(node(p))
                                        && "Running".equals(p.getStatus().getPhase()))
                                .count()
                        == 6);
        if (uncordon) {
            for (String n : List.of("b", "c")) {
                admin.nodes().withName(prefix + "-" + n).edit(x -> {
                    x.getSpec().setUnschedulable(null);
                    return x;
                });
            }
        }
        return f;
    }

    private static MigrationController controller(
            KubernetesClient admin, LocalControlPlane cp, QshardConfig cfg, boolean dryRun) {
        return controller(admin, cp, cfg, dryRun, io.qshard.kube.metrics.Metrics.NOOP);
    }

    /** The loop runs as its ServiceAccount with exactly the RBAC of manifests/migrate/migrate.yaml. */
    private static MigrationController controller(
            KubernetesClient admin,
            LocalControlPlane cp,
            QshardConfig cfg,
            boolean dryRun,
            io.qshard.kube.metrics.Metrics metrics) {
        java.nio.file.Path kubeconfig = io.qshard.localcluster.fixtures.ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-migrate", java.nio.file.Path.of("..", "manifests", "migrate", "migrate.yaml"));
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig.toFile()), "qshard-it-migrate");
        return new MigrationController(client, cfg, dryRun, null, "it", Clock.systemUTC(), metrics);
    }

    private static KubernetesClient client(LocalControlPlane cp, String agent) {
        return io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                agent);
    }

    private static List<Pod> batchPods(KubernetesClient admin, Fixture f) {
        return admin.pods().inNamespace(f.ns()).withLabel("app", "etl").list().getItems();
    }

    private static String node(Pod p) {
        String n = p.getSpec().getNodeName();
        return n == null || n.isEmpty() ? null : n;
    }

    private static boolean leaving(Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null;
    }

    private static String events(KubernetesClient admin, String ns) {
        return admin.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getReason())
                .collect(Collectors.joining(","));
    }
}
