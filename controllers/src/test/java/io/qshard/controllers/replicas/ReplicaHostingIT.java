package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.metrics.Metrics;
import io.qshard.kube.metrics.MetricsHttpServer;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.fixtures.ServiceAccounts;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Replica hosting on the real control plane with controller-manager (ReplicaSets, StatefulSet pods, the HPA
 * controller), the simulator (pods Running, usage reports every second, every pod using exactly its request) and the
 * batch and free schedulers; the controller runs as its ServiceAccount with the RBAC of manifests/replicas. Three
 * 16-core nodes, each with a prod pod requesting 80 % whose usage is the test's load L; predictions off, so the pools
 * are deterministic: the batch pool of a node is 0.85 × 16 − 16 L − 0.8 = 12.8 − 16 L cores (band: 0.03 × 48 = 1.44).
 * Test settings: period 1 s, min interval 2 s, up window 3 s, step 4 / 50 %, manual hold 5 s, warm-up 2 s.
 */
@RealControlPlane(controllerManager = true)
class ReplicaHostingIT {
    private static final HostingSettings LAW = new HostingSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(3), 0.03, 4, 50, 100, Duration.ofSeconds(5), 1000, 0.9);

    /** Prod usage per node: a level, plus a square wave of ± amplitude with a 4 s period when asked. */
    static final class Load implements BackgroundLoad {
        volatile double level = 0.2;
        volatile double amplitude;

        @Override
        public double cpu(String node, int index, double elapsed) {
            if (amplitude == 0) {
                return level;
            }
            return (System.nanoTime() / 2_000_000_000L) % 2 == 0 ? level + amplitude : level - amplitude;
        }

        @Override
        public double memory(String node, int index, double elapsed) {
            return 0.2;
        }
    }

    /** Every change of spec.replicas a watch saw, per workload name. */
    static final class Recorder implements Watcher<HasMetadata> {
        final Map<String, List<Integer>> replicas = new ConcurrentHashMap<>();
        volatile long lastChange = System.nanoTime();

        @Override
        public void eventReceived(Action action, HasMetadata o) {
            Integer r = o instanceof Deployment d
                    ? d.getSpec().getReplicas()
                    : ((StatefulSet) o).getSpec().getReplicas();
            String name = o.getMetadata().getName();
            List<Integer> seen = replicas.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(r)) {
                seen.add(r);
                lastChange = System.nanoTime();
            }
        }

        @Override
        public void onClose(WatcherException cause) {}

        /** Changes of spec.replicas seen so far (a Deployment's generation also counts annotation changes). */
        long changes(String... names) {
            long sum = 0;
            for (String n : names) {
                sum += Math.max(0, replicas.getOrDefault(n, List.of()).size() - 1);
            }
            return sum;
        }

        boolean quietFor(Duration d) {
            return System.nanoTime() - lastChange >= d.toNanos();
        }
    }

    private record Fixture(
            KubernetesClient admin,
            String ns,
            String prefix,
            Load load,
            SimulatorProcess sim,
            SchedulerProcess schedulers,
            QshardConfig cfg,
            Recorder seen,
            List<Watch> watches)
            implements AutoCloseable {
        long reports() {
            return sim.simulator().writes.usageWrites.sum();
        }

        /** Waits for {@code rounds} more rounds of usage reports (three nodes each). */
        void awaitReports(int rounds) {
            long from = reports();
            await().atMost(Duration.ofSeconds(rounds * 3L + 30)).until(() -> reports() >= from + rounds * 3L);
        }

        /** Stops its processes, deletes its workloads and nodes (the next fixture's controller sees none of them). */
        @Override
        public void close() {
            watches.forEach(Watch::close);
            schedulers.stop(Duration.ofSeconds(5));
            sim.close();
            admin.apps().deployments().inNamespace(ns).delete();
            admin.apps().statefulSets().inNamespace(ns).delete();
            admin.nodes().withLabel("sim", prefix).delete();
        }
    }

    @Test
    void scalesUpWithRoomAndDownLowestPriorityFirstWithinMinAndMaxWithoutFlapping(
            KubernetesClient admin, LocalControlPlane cp) throws Exception {
        try (Fixture f = fixture(admin, cp, "rh")) {
            admin.resource(deployment(f.ns(), "etl", "batch", 1_000, 4, hosting(2, 20)))
                    .create();
            admin.resource(statefulSet(f.ns(), "crawl", "free", 500, 2, hosting(1, 10)))
                    .create();
            PrometheusMetrics metrics = new PrometheusMetrics();
            try (ReplicaController c = controller(admin, cp, f.cfg(), false, metrics);
                    MetricsHttpServer http =
                            new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), metrics, c::notReadyReason)) {
                c.start(Duration.ofSeconds(30));
                // L = 0.2: 9.6 cores of batch pool per node, 28.8 in all: etl to its max 20, crawl to its max 10
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> replicas(admin, f, "etl") == 20 && replicas(admin, f, "crawl") == 10);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> bound(admin, f, "etl") == 20 && bound(admin, f, "crawl") == 10);
                assertThat(f.seen().replicas.get("etl"))
                        .as("etl scaled up in steps")
                        .startsWith(4)
                        .endsWith(20)
                        .hasSizeGreaterThanOrEqualTo(4);

                // L = 0.5: 4.8 cores per node, 14.4 in all; batch over by 5.6, free by 10.6: crawl (free, the lower
                // priority) sheds to its min, etl (batch) sheds what its own pool is over by
                f.load().level = 0.5;
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> replicas(admin, f, "crawl") == 1 && replicas(admin, f, "etl") == 14);
                assertThat(f.seen()
                                .replicas
                                .get("crawl")
                                .get(f.seen().replicas.get("crawl").size() - 1))
                        .isEqualTo(1);

                // steady, then a prod load that oscillates around the threshold: ±0.01 (±0.48 cores in all) with a
                // 4 s period, then ±0.05 (±2.4 cores, more than the band)
                await().atMost(Duration.ofSeconds(60)).until(() -> f.seen().quietFor(Duration.ofSeconds(6)));
                long gen = f.seen().changes("etl", "crawl");
                long changes = c.changes.sum();
                f.load().amplitude = 0.01;
                f.awaitReports(30);
                long small = f.seen().changes("etl", "crawl") - gen;
                assertThat(small)
                        .as("changes of replicas on a ±0.01 oscillation")
                        .isLessThanOrEqualTo(2);
                assertThat(c.changes.sum() - changes).isEqualTo(small);
                f.load().amplitude = 0.05;
                f.awaitReports(30);
                assertThat(f.seen().changes("etl", "crawl") - gen - small)
                        .as("changes of replicas on a ±0.05 oscillation")
                        .isLessThanOrEqualTo(2);

                // L = 0.78: 0.32 cores per node: etl to its min
                f.load().amplitude = 0;
                f.load().level = 0.78;
                await().atMost(Duration.ofSeconds(60)).until(() -> replicas(admin, f, "etl") == 2);
                assertThat(f.seen().replicas.get("etl")).allMatch(r -> r >= 2 && r <= 20);
                assertThat(f.seen().replicas.get("crawl")).allMatch(r -> r >= 1 && r <= 10);

                List<Event> etl = events(admin, f.ns(), "etl");
                assertThat(etl.stream().filter(e -> "ReplicasScaledUp".equals(e.getReason())))
                        .hasSizeGreaterThanOrEqualTo(3)
                        .allMatch(e -> e.getMessage().matches("\\d+ → \\d+ replicas: .*batch pool has room .*cores.*"));
                assertThat(etl.stream().filter(e -> "ReplicasScaledDown".equals(e.getReason())))
                        .hasSizeGreaterThanOrEqualTo(2)
                        .allMatch(e -> e.getMessage().matches("\\d+ → \\d+ replicas: .*batch pool.*"));
                List<String> lines = scrape(http.port(), "/metrics").lines().toList();
                assertThat(lines)
                        .contains(
                                "qshard_replicas_leader 1.0",
                                "qshard_replicas_frozen 0.0",
                                "# TYPE qshard_replicas_workloads gauge",
                                "# TYPE qshard_replicas_pool_net gauge",
                                "qshard_replicas_workloads{state=\"hosted\"} 2.0")
                        .anyMatch(
                                l -> l.matches(
                                        "qshard_replicas_changes_total\\{direction=\"up\",result=\"written\"} ([5-9]|\\d\\d+)\\.0"))
                        .anyMatch(
                                l -> l.matches(
                                        "qshard_replicas_changes_total\\{direction=\"down\",result=\"written\"} [1-9]\\d*\\.0"));
                assertThat(scrape(http.port(), "/readyz")).isEqualTo("ok\n");
                assertThat(c.lastDecisions()).extracting(d -> d.key().name()).containsExactly("etl", "crawl");
            }
        }
    }

    @Test
    void ownersAreRespected(KubernetesClient admin, LocalControlPlane cp) throws Exception {
        try (Fixture f = fixture(admin, cp, "ro")) {
            admin.resource(deployment(f.ns(), "etl", "batch", 1_000, 4, hosting(2, 20)))
                    .create();
            await().atMost(Duration.ofSeconds(60)).until(() -> bound(admin, f, "etl") == 4);

            // dry run: plans, writes nothing (no patch, no scale, no Event)
            PrometheusMetrics dryMetrics = new PrometheusMetrics();
            try (ReplicaController dry = controller(admin, cp, f.cfg(), true, dryMetrics);
                    MetricsHttpServer http = new MetricsHttpServer(
                            new InetSocketAddress("127.0.0.1", 0), dryMetrics, dry::notReadyReason)) {
                dry.start(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30)).until(() -> dry.changes.sum() >= 2);
                assertThat(scrape(http.port(), "/metrics").lines())
                        .anyMatch(l -> l.matches(
                                "qshard_replicas_changes_total\\{direction=\"up\",result=\"dry_run\"} [1-9]\\d*\\.0"))
                        .contains("qshard_replicas_changes_total{direction=\"up\",result=\"written\"} 0.0");
            }
            Deployment etl = admin.apps()
                    .deployments()
                    .inNamespace(f.ns())
                    .withName("etl")
                    .get();
            assertThat(etl.getMetadata().getGeneration())
                    .as("dry run: never scaled")
                    .isEqualTo(1);
            assertThat(etl.getMetadata().getAnnotations()).doesNotContainKey(HostingAnnotations.SET);
            assertThat(ours(admin, f.ns())).as("dry run: no Event").isEmpty();

            // two workloads an HPA targets (autoscaling/v1, and v2beta2 where served), one invalid
            admin.resource(deployment(f.ns(), "api-v1", "batch", 500, 3, hosting(1, 10)))
                    .create();
            admin.resource(deployment(f.ns(), "api-v2", "batch", 500, 3, hosting(1, 10)))
                    .create();
            Map<String, String> bad = new HashMap<>(hosting(1, 10));
            bad.put(HostingAnnotations.MAX, "lots");
            admin.resource(deployment(f.ns(), "bad", "batch", 500, 2, bad)).create();
            var hpaV1 = admin.autoscaling()
                    .v1()
                    .horizontalPodAutoscalers()
                    .inNamespace(f.ns())
                    .resource(new io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder()
                            .withNewMetadata()
                            .withName("api-v1")
                            .endMetadata()
                            .withNewSpec()
                            .withNewScaleTargetRef()
                            .withApiVersion("apps/v1")
                            .withKind("Deployment")
                            .withName("api-v1")
                            .endScaleTargetRef()
                            .withMinReplicas(1)
                            .withMaxReplicas(10)
                            .withTargetCPUUtilizationPercentage(80)
                            .endSpec()
                            .build())
                    .create();
            List<String> targeted = List.of("api-v1");
            if (admin.supports(io.fabric8.kubernetes.api.model.autoscaling.v2beta2.HorizontalPodAutoscaler.class)) {
                admin.autoscaling()
                        .v2beta2()
                        .horizontalPodAutoscalers()
                        .inNamespace(f.ns())
                        .resource(
                                new io.fabric8.kubernetes.api.model.autoscaling.v2beta2.HorizontalPodAutoscalerBuilder()
                                        .withNewMetadata()
                                        .withName("api-v2")
                                        .endMetadata()
                                        .withNewSpec()
                                        .withNewScaleTargetRef()
                                        .withApiVersion("apps/v1")
                                        .withKind("Deployment")
                                        .withName("api-v2")
                                        .endScaleTargetRef()
                                        .withMinReplicas(1)
                                        .withMaxReplicas(10)
                                        .endSpec()
                                        .build())
                        .create();
                targeted = List.of("api-v1", "api-v2");
            }
            try (ReplicaController c = controller(admin, cp, f.cfg(), false, Metrics.NOOP)) {
                c.start(Duration.ofSeconds(30));
                // hosting acts on etl (room for more), and over ten more cycles leaves the targeted ones alone
                await().atMost(Duration.ofSeconds(30)).until(() -> replicas(admin, f, "etl") > 4);
                f.awaitReports(10);
                for (String name : targeted) {
                    Deployment d = admin.apps()
                            .deployments()
                            .inNamespace(f.ns())
                            .withName(name)
                            .get();
                    assertThat(d.getSpec().getReplicas()).as(name).isEqualTo(3);
                    assertThat(d.getMetadata().getAnnotations()).as(name).doesNotContainKey(HostingAnnotations.SET);
                    assertThat(events(admin, f.ns(), name))
                            .as("one conflict Event on " + name)
                            .singleElement()
                            .satisfies(e -> {
                                assertThat(e.getReason()).isEqualTo("ReplicaHostingConflict");
                                assertThat(e.getType()).isEqualTo("Warning");
                                assertThat(e.getMessage())
                                        .isEqualTo("targeted by HorizontalPodAutoscaler " + f.ns() + "/" + name
                                                + ": replica hosting leaves it alone");
                            });
                }
                assertThat(c.lastDecisions())
                        .anyMatch(d -> d.key().name().equals("api-v1")
                                && d.why().equals("left alone: HorizontalPodAutoscaler " + f.ns() + "/api-v1"));
                // the invalid one: one Warning naming the annotation, never written
                Deployment badNow = admin.apps()
                        .deployments()
                        .inNamespace(f.ns())
                        .withName("bad")
                        .get();
                assertThat(badNow.getMetadata().getGeneration()).isEqualTo(1);
                assertThat(badNow.getMetadata().getAnnotations()).doesNotContainKey(HostingAnnotations.SET);
                assertThat(events(admin, f.ns(), "bad")).singleElement().satisfies(e -> {
                    assertThat(e.getReason()).isEqualTo("ReplicaHostingInvalid");
                    assertThat(e.getMessage()).contains(HostingAnnotations.MAX);
                });

                // the HPA goes: hosting takes api-v1 over
                admin.resource(hpaV1).delete();
                await().atMost(Duration.ofSeconds(15)).until(() -> replicas(admin, f, "api-v1") > 3);

                // a manual change: the new request, held for 5 s, then hosted again
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Deployment d = admin.apps()
                            .deployments()
                            .inNamespace(f.ns())
                            .withName("etl")
                            .get();
                    String set = d.getMetadata().getAnnotations().get(HostingAnnotations.SET);
                    return set != null
                            && set.equals(String.valueOf(d.getSpec().getReplicas()))
                            && d.getSpec().getReplicas() != 7;
                });
                admin.apps().deployments().inNamespace(f.ns()).withName("etl").scale(7);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> "7".equals(annotation(admin, f, "etl", HostingAnnotations.REQUEST))
                                && events(admin, f.ns(), "etl").stream()
                                        .anyMatch(e -> "ReplicasRequestChanged".equals(e.getReason())));
                assertThat(events(admin, f.ns(), "etl"))
                        .filteredOn(e -> "ReplicasRequestChanged".equals(e.getReason()))
                        .singleElement()
                        .satisfies(e -> assertThat(e.getMessage())
                                .matches("replicas changed from \\d+ to 7 outside qshard: taken as the new request; "
                                        + "hosting resumes after 5 s"));
                Instant seenAt = Instant.parse(annotation(admin, f, "etl", HostingAnnotations.REQUEST_CHANGED_AT));
                await().atMost(Duration.ofSeconds(30)).until(() -> replicas(admin, f, "etl") != 7);
                Instant scaledAt = Instant.parse(annotation(admin, f, "etl", HostingAnnotations.CHANGED_AT));
                assertThat(scaledAt).as("held for the manual hold").isAfterOrEqualTo(seenAt.plusSeconds(5));
                assertThat(annotation(admin, f, "etl", HostingAnnotations.REQUEST))
                        .isEqualTo("7");

                // the owner goes back to the value before hosting's last write (F: a GitOps self-heal, a kubectl
                // scale back) after the grace in which C == F means "our scale did not land": a manual change too,
                // held, not scaled up again at once
                int[] reverted = {-1};
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Deployment d = admin.apps()
                            .deployments()
                            .inNamespace(f.ns())
                            .withName("etl")
                            .get();
                    Map<String, String> a = d.getMetadata().getAnnotations();
                    String set = a.get(HostingAnnotations.SET);
                    String from = a.get(HostingAnnotations.SET_FROM);
                    String at = a.get(HostingAnnotations.CHANGED_AT);
                    if (set == null
                            || from == null
                            || at == null
                            || from.equals(set)
                            || !set.equals(String.valueOf(d.getSpec().getReplicas()))
                            || Instant.now().isBefore(Instant.parse(at).plusSeconds(4))) {
                        return false; // hosting's last write not landed yet, or within the grace (3 periods)
                    }
                    d.getSpec().setReplicas(Integer.parseInt(from));
                    try {
                        admin.resource(d).update(); // carries d's resourceVersion: refused if hosting wrote meanwhile
                    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                        if (e.getCode() == 409) {
                            return false;
                        }
                        throw e;
                    }
                    reverted[0] = Integer.parseInt(from);
                    return true;
                });
                int request = reverted[0];
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                String.valueOf(request).equals(annotation(admin, f, "etl", HostingAnnotations.REQUEST))
                                        && events(admin, f.ns(), "etl").stream()
                                                        .filter(e -> "ReplicasRequestChanged".equals(e.getReason()))
                                                        .count()
                                                == 2);
                assertThat(replicas(admin, f, "etl"))
                        .as("held, not scaled again")
                        .isEqualTo(request);
                assertThat(events(admin, f.ns(), "etl"))
                        .filteredOn(e -> "ReplicasRequestChanged".equals(e.getReason()))
                        .anyMatch(e -> e.getMessage()
                                .matches("replicas changed from \\d+ to " + request
                                        + " outside qshard: taken as the new request; hosting resumes after 5 s"));
                Instant revertSeenAt =
                        Instant.parse(annotation(admin, f, "etl", HostingAnnotations.REQUEST_CHANGED_AT));
                await().atMost(Duration.ofSeconds(30)).until(() -> replicas(admin, f, "etl") != request);
                assertThat(Instant.parse(annotation(admin, f, "etl", HostingAnnotations.CHANGED_AT)))
                        .as("held for the manual hold")
                        .isAfterOrEqualTo(revertSeenAt.plusSeconds(5));

                // opt-out: back to the request, the bookkeeping removed
                admin.apps()
                        .deployments()
                        .inNamespace(f.ns())
                        .withName("etl")
                        .patch(
                                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                                "{\"metadata\":{\"annotations\":{\"" + HostingAnnotations.HOSTING + "\":\"false\"}}}");
                await().atMost(Duration.ofSeconds(15)).until(() -> {
                    Deployment d = admin.apps()
                            .deployments()
                            .inNamespace(f.ns())
                            .withName("etl")
                            .get();
                    return d.getSpec().getReplicas() == request
                            && d.getMetadata().getAnnotations().keySet().stream()
                                    .noneMatch(k -> List.of(
                                                    HostingAnnotations.REQUEST,
                                                    HostingAnnotations.SET,
                                                    HostingAnnotations.SET_FROM,
                                                    HostingAnnotations.CHANGED_AT,
                                                    HostingAnnotations.REQUEST_CHANGED_AT)
                                            .contains(k));
                });
                assertThat(events(admin, f.ns(), "etl")).anyMatch(e -> "ReplicaHostingEnded".equals(e.getReason()));
                assertThat(c.manual.sum()).isEqualTo(2);
            }
        }
    }

    /** Three nodes × 16 cores / 64 GiB, a prod pod of 12.8 cores on each, the simulator, batch and free schedulers. */
    private static Fixture fixture(KubernetesClient admin, LocalControlPlane cp, String prefix) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        String ns = Namespaces.fresh(admin, prefix);
        for (String n : List.of("a", "b", "c")) {
            admin.resource(NodeFixture.node(prefix + "-" + n)
                            .cpu("16")
                            .memory("64Gi")
                            .label("sim", prefix)
                            .build())
                    .create();
            Pod p = PodFixture.pod("prod-" + n)
                    .namespace(ns)
                    .tier("prod")
                    .cpuMilli(12_800)
                    .memoryMi(8 * 1024)
                    .build();
            p.getSpec().setNodeName(prefix + "-" + n);
            admin.resource(p).create();
        }
        QshardConfig cfg = QshardConfig.defaults()
                .withPools(new PoolConfig(0.85, 0.90, 0.05, 0.05, 1.0, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .withPredictions(QshardConfig.defaults().predictions().withEnabled(false));
        Load load = new Load();
        SimulatorProcess sim = SimulatorProcess.start(
                client(cp, "qshard-it-simulator"),
                cfg,
                SimulationSettings.of(load)
                        .withNodeLabels(Map.of("sim", prefix))
                        .withUtilisation(new PodUtilisation(1.0, 1.0, 1))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(4),
                Duration.ofSeconds(30),
                Clock.systemUTC());
        SchedulerProcess schedulers = SchedulerProcess.start(
                client(cp, "qshard-it-scheduler"),
                cfg,
                ShippedPlugins.registry(),
                List.of(cfg.tier("batch"), cfg.tier("free")),
                SchedulerSettings.defaults(),
                Duration.ofSeconds(60),
                Clock.systemUTC());
        Recorder seen = new Recorder();
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Watch> watches = List.of(
                admin.apps().deployments().inNamespace(ns).watch((Watcher) seen),
                admin.apps().statefulSets().inNamespace(ns).watch((Watcher) seen));
        return new Fixture(admin, ns, prefix, load, sim, schedulers, cfg, seen, watches);
    }

    /** The controller runs as its ServiceAccount with exactly the RBAC of manifests/replicas/replicas.yaml. */
    private static ReplicaController controller(
            KubernetesClient admin, LocalControlPlane cp, QshardConfig cfg, boolean dryRun, Metrics metrics) {
        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-replicas", Path.of("..", "manifests", "replicas", "replicas.yaml"));
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig.toFile()), "qshard-it-replicas");
        ReplicaSettings settings = new ReplicaSettings(
                LAW, Duration.ofSeconds(1), Duration.ofSeconds(2), dryRun, null, "it", WorkloadKind.DEFAULTS);
        return new ReplicaController(client, cfg, settings, Clock.systemUTC(), metrics);
    }

    private static Map<String, String> hosting(int min, int max) {
        return Map.of(
                HostingAnnotations.HOSTING, "true",
                HostingAnnotations.MIN, Integer.toString(min),
                HostingAnnotations.MAX, Integer.toString(max));
    }

    private static PodSpec template(String name, String tier, long milli) {
        return PodFixture.pod(name)
                .tier(tier)
                .cpuMilli(milli)
                .memoryMi(512)
                .label("app", name)
                .build()
                .getSpec();
    }

    private static Deployment deployment(
            String ns, String name, String tier, long milli, int replicas, Map<String, String> annotations) {
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
                .withSpec(template(name, tier, milli))
                .endTemplate()
                .endSpec()
                .build();
    }

    private static StatefulSet statefulSet(
            String ns, String name, String tier, long milli, int replicas, Map<String, String> annotations) {
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(name)
                .withPodManagementPolicy("Parallel")
                .withNewSelector()
                .withMatchLabels(Map.of("app", name))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withSpec(template(name, tier, milli))
                .endTemplate()
                .endSpec()
                .build();
    }

    private static int replicas(KubernetesClient admin, Fixture f, String name) {
        Deployment d =
                admin.apps().deployments().inNamespace(f.ns()).withName(name).get();
        if (d != null) {
            return d.getSpec().getReplicas();
        }
        return admin.apps()
                .statefulSets()
                .inNamespace(f.ns())
                .withName(name)
                .get()
                .getSpec()
                .getReplicas();
    }

    private static String annotation(KubernetesClient admin, Fixture f, String name, String key) {
        return admin.apps()
                .deployments()
                .inNamespace(f.ns())
                .withName(name)
                .get()
                .getMetadata()
                .getAnnotations()
                .get(key);
    }

    /** Pods of {@code app} bound and not terminating. */
    private static long bound(KubernetesClient admin, Fixture f, String app) {
        return admin.pods().inNamespace(f.ns()).withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null
                        && p.getSpec().getNodeName() != null
                        && !p.getSpec().getNodeName().isEmpty())
                .count();
    }

    /** Events replica hosting wrote about the workload {@code name}. */
    private static List<Event> events(KubernetesClient admin, String ns, String name) {
        return ours(admin, ns).stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private static List<Event> ours(KubernetesClient admin, String ns) {
        return admin.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getSource() != null
                        && ReplicaEvents.COMPONENT.equals(e.getSource().getComponent()))
                .toList();
    }

    private static String scrape(int port, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static KubernetesClient client(LocalControlPlane cp, String agent) {
        return io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                agent);
    }
}
