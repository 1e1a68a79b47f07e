package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The batch tier on real usage, on the real apiserver, at the size: 100 nodes of 10 cores whose prod pods
 * request 80 % of the cpu while the simulator reports them using 20 %, batch pods at half their requests.
 *
 * <p>Pool arithmetic per node (cpu; defaults: peakCap = 0.85 × 10000 = 8500m, margin = 0.05 × 10000 = 500m):
 * <ul>
 *   <li>conservative (requests): batch pool = 8500 − 8000 − 500 = 0 — no batch pod at all;</li>
 *   <li>prod at 20 %: pool before batch = 8500 − 2000 − 500 = 6000m, advertised as {@code qshard.io/batch-cpu} and
 *       published as the ceiling → exactly six 1000m pods per node (their usage, 6 × 500m, leaves the usage pool
 *       8500 − 2000 − 500 − 3000 = 3000m, so the advertisement is the tighter bound): 600 of 800 placed;</li>
 *   <li>then prod at 70 % on nodes 0–49: 8500 − 7000 − 500 − 3000 &lt; 0 → nothing more there; prod at 10 % on nodes
 *       50–99: 8500 − 1000 − 500 = 7000m → exactly one more pod each (50 more in all).</li>
 * </ul>
 * An independent audit recomputes each node's pool from its NodeUsage object and checks the batch requests bound to
 * it (read back from the API) against it, and what a kubelet admits. Finally the reports of ten nodes stop: once their
 * last reports pass the staleness limit, those ten and only those are back on the conservative view in the scheduler's
 * snapshot.
 */
@RealControlPlane
class UsagePoolsIT {
    private static final int NODES = 100;
    private static final Duration STALE_AFTER = Duration.ofSeconds(5);

    /** A background load the test can move per node. */
    static final class SteerableLoad implements BackgroundLoad {
        final Map<String, Double> cpu = new ConcurrentHashMap<>();
        volatile double otherwise;

        SteerableLoad(double initial) {
            otherwise = initial;
        }

        @Override
        public double cpu(String node, int index, double elapsedSeconds) {
            return cpu.getOrDefault(node, otherwise);
        }

        @Override
        public double memory(String node, int index, double elapsedSeconds) {
            return 0.2;
        }
    }

    @Test
    void batchBorrowsWhatProdDoesNotUseUpToThePoolAndNoFurther(KubernetesClient admin, LocalControlPlane cp) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        String ns = Namespaces.fresh(admin, "usagepools");
        List<Node> nodes = new ArrayList<>();
        List<Pod> prod = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            String name = name(i);
            nodes.add(NodeFixture.node(name)
                    .cpu("10")
                    .memory("40Gi")
                    .label("sim", "pools")
                    .build());
            for (int k = 0; k < 4; k++) { // 4 × 2000m = 80 % of the cpu requested by prod
                Pod p = PodFixture.pod(name + "-prod-" + k)
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(2_000)
                        .memoryMi(8 * 1024)
                        .build();
                p.getSpec().setNodeName(name);
                prod.add(p);
            }
        }
        Bulk.create(admin, nodes, 16);
        Bulk.create(admin, prod, 16);

        QshardConfig cfg = QshardConfig.defaults()
                .withPools(new PoolConfig(0.85, 0.90, 0.05, 0.05, 1.0, Duration.ofSeconds(1), STALE_AFTER));
        SteerableLoad load = new SteerableLoad(0.2);
        SimulationSettings sim = SimulationSettings.of(load)
                .withNodeLabels(Map.of("sim", "pools"))
                .withUtilisation(new PodUtilisation(0.5, 0.5, 1))
                .withInterval(Duration.ofSeconds(1))
                .withWriters(8);
        try (SimulatorProcess simulator = SimulatorProcess.start(
                client(cp, "qshard-it-simulator"), cfg, sim, Duration.ofSeconds(30), Clock.systemUTC())) {
            SchedulerProcess batch = SchedulerProcess.start(
                    client(cp, SchedulerITSupport.AGENT),
                    cfg,
                    ShippedPlugins.registry(),
                    List.of(cfg.tier("batch")),
                    SchedulerSettings.defaults(),
                    Duration.ofSeconds(60),
                    Clock.systemUTC());
            try {
                TierScheduler scheduler = batch.schedulers().get(0);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> scheduler.usage().reporting() == NODES);

                // phase 1: 800 batch pods; the pools hold 6 per node
                List<Pod> wave = new ArrayList<>();
                for (int i = 0; i < 800; i++) {
                    wave.add(PodFixture.pod("b-" + i)
                            .namespace(ns)
                            .tier("batch")
                            .cpuMilli(1_000)
                            .memoryMi(1024)
                            .build());
                }
                Bulk.create(admin, wave, 16);
                awaitSettled(admin, ns, 6L * NODES);
                Map<String, Long> phase1 = batchMilliPerNode(admin, ns);
                for (int i = 0; i < NODES; i++) {
                    long pool = poolFromApi(admin, name(i));
                    assertThat(pool)
                            .as("pool of %s recomputed from its NodeUsage", name(i))
                            .isEqualTo(6_000);
                    assertThat(phase1.getOrDefault(name(i), 0L)).as(name(i)).isEqualTo(pool);
                }
                assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
                assertThat(scheduler.usage().rejected.sum()).isZero();

                // phase 2: nodes 0–49 get hot (prod 70 %), nodes 50–99 cool down (prod 10 %)
                for (int i = 0; i < NODES; i++) {
                    load.cpu.put(name(i), i < NODES / 2 ? 0.7 : 0.1);
                }
                awaitSettled(admin, ns, 6L * NODES + NODES / 2);
                Map<String, Long> phase2 = batchMilliPerNode(admin, ns);
                for (int i = 0; i < NODES; i++) {
                    String n = name(i);
                    if (i < NODES / 2) {
                        assertThat(phase2.get(n))
                                .as("hot %s takes no new batch pod", n)
                                .isEqualTo(phase1.get(n));
                    } else {
                        assertThat(phase2.get(n))
                                .as("cool %s takes one more", n)
                                .isEqualTo(7_000L);
                        assertThat(phase2.get(n)).as("within %s's pool", n).isLessThanOrEqualTo(poolFromApi(admin, n));
                    }
                }
                assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();

                // phase 3: ten nodes stop reporting (the simulator lets them go); conservative within the limit
                long staledBefore = scheduler.usage().staled.sum();
                for (int i = 0; i < 10; i++) {
                    admin.nodes().withName(name(i)).edit(n -> {
                        n.getMetadata().getLabels().remove("sim");
                        return n;
                    });
                }
                // a generous deadline for an eventual condition: reports expire STALE_AFTER after they were written
                await().atMost(STALE_AFTER.plusSeconds(20))
                        .until(() -> scheduler.usage().staled.sum() >= staledBefore + 10
                                && conservative(scheduler.snapshot()).size() == 10);
                // what the scheduler decides on: exactly the ten silent nodes on the conservative view (no usage)
                assertThat(conservative(scheduler.snapshot()))
                        .as("nodes without usage in the scheduler's view")
                        .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 10)
                                .mapToObj(UsagePoolsIT::name)
                                .toArray(String[]::new));
                assertThat(simulator.simulator().writes.writeErrors.sum()).isZero();
            } finally {
                batch.stop(Duration.ofSeconds(5));
            }
        } finally {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.resources(NodeUsage.class).delete();
        }
    }

    private static String name(int i) {
        return String.format("up-%04d", i);
    }

    /** This test's nodes that {@code view} holds without usage, i.e. on the conservative view (usage = requests). */
    private static List<String> conservative(ClusterSnapshot view) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            view.node(name(i)).filter(n -> n.usage() == null).ifPresent(n -> out.add(n.name()));
        }
        return out;
    }

    private static KubernetesClient client(LocalControlPlane cp, String agent) {
        return io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                agent);
    }

    /** Waits until {@code expected} batch pods are bound and the count holds for three seconds. */
    private static void awaitSettled(KubernetesClient admin, String ns, long expected) {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> batchMilliPerNode(admin, ns).values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        >= expected * 1_000);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> batchMilliPerNode(admin, ns).values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        == expected * 1_000);
    }

    /** The batch pool before batch of a node, from its NodeUsage object: 0.85 × 10000 − prod − mid − 0.05 × 10000. */
    private static long poolFromApi(KubernetesClient admin, String node) {
        NodeUsageStatus s =
                admin.resources(NodeUsage.class).withName(node).get().getStatus();
        long prod = s.getTiers().get("prod").getCpuMilli();
        long mid = s.getTiers().containsKey("mid") ? s.getTiers().get("mid").getCpuMilli() : 0;
        return 8_500 - prod - mid - 500;
    }

    /** Σ qshard.io/batch-cpu requests of the batch pods bound per node, read back from the API. */
    private static Map<String, Long> batchMilliPerNode(KubernetesClient admin, String ns) {
        Map<String, Long> out = new HashMap<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node != null
                    && !node.isEmpty()
                    && "qshard-batch".equals(p.getSpec().getSchedulerName())) {
                out.merge(node, SchedulerITSupport.requestsOf(p).batchMilliCpu(), Long::sum);
            }
        }
        return out;
    }
}
