package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.UsageAmount;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import io.qshard.simulator.TraceLoad;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A mixed backlog of all four tiers, placed by the four tier schedulers of one process at once on nodes the simulator
 * plays (constant 25 % background load, pods at 30–50 % of their requests): every tier places pods, no node breaks a
 * kubelet's admission, and no node's batch pool — recomputed by this test from the last NodeUsage report — is
 * overdrawn by more than one pod's estimate (reports and placements are a second apart).
 */
@RealControlPlane
class MixedTiersIT {
    private static final int NODES = 6;
    private static final long CPU = 16_000;

    @Test
    void fourTiersAtOnceViolateNoPool(KubernetesClient admin, LocalControlPlane cp) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        String ns = Namespaces.fresh(admin, "mixed");
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(NodeFixture.node("mx-" + i)
                    .cpu("16")
                    .memory("64Gi")
                    .label("sim", "mixed")
                    .build());
        }
        Bulk.create(admin, nodes, NODES);
        QshardConfig cfg = QshardConfig.defaults();
        KubernetesClient simClient = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-simulator");
        KubernetesClient schedClient = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-scheduler");
        try (SimulatorProcess sim = SimulatorProcess.start(
                simClient,
                cfg,
                SimulationSettings.of(TraceLoad.constant(0.25, 0.25))
                        .withNodeLabels(Map.of("sim", "mixed"))
                        .withUtilisation(new PodUtilisation(0.3, 0.5, 3))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(8),
                Duration.ofSeconds(30),
                Clock.systemUTC())) {
            SchedulerProcess all = SchedulerProcess.start(
                    schedClient,
                    cfg,
                    ShippedPlugins.registry(),
                    cfg.tiers(),
                    SchedulerSettings.defaults(),
                    Duration.ofSeconds(60),
                    Clock.systemUTC());
            try {
                List<Pod> backlog = new ArrayList<>();
                String[][] mix = {
                    {"prod", "40", "1500"}, {"mid", "40", "1000"}, {"batch", "80", "1000"}, {"free", "80", "500"}
                };
                for (String[] m : mix) {
                    for (int i = 0; i < Integer.parseInt(m[1]); i++) {
                        backlog.add(PodFixture.pod(m[0] + "-" + i)
                                .namespace(ns)
                                .tier(m[0])
                                .cpuMilli(Long.parseLong(m[2]))
                                .memoryMi(1024)
                                .build());
                    }
                }
                Bulk.create(admin, backlog, 16);
                // every tier places pods (batch and free once the simulator has reported and advertised) …
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() ->
                                boundPerTier(admin, ns).keySet().containsAll(List.of("prod", "mid", "batch", "free")));
                // … and placement settles: unchanged over three polls two seconds apart
                long[] last = {-1};
                int[] same = {0};
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(2))
                        .until(() -> {
                            long now = boundPerTier(admin, ns).values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum();
                            same[0] = now == last[0] ? same[0] + 1 : 0;
                            last[0] = now;
                            return same[0] >= 2;
                        });
                Map<String, Long> perTier = boundPerTier(admin, ns);
                assertThat(perTier).as("every tier placed pods").containsKeys("prod", "mid", "batch", "free");
                assertAdmission(admin);
                for (Node n : nodes) {
                    assertBatchPoolHolds(admin, ns, n.getMetadata().getName());
                }
                assertThat(sim.simulator().writes.writeErrors.sum()).isZero();
            } finally {
                all.stop(Duration.ofSeconds(5));
            }
        } finally {
            cleanUp(admin, ns);
        }
    }

    /**
     * What a kubelet checks, per node, strictly: native requests within allocatable (the tiers of one process share
     * their placements through the ledger) and batch requests within the advertised batch resources (the simulator
     * lowers an advertisement only to a ceiling it has published for a hold-down, and the schedulers place against
     * the ceiling at once: {@code BatchAdvertiser}).
     */
    private static void assertAdmission(KubernetesClient admin) {
        Map<String, io.qshard.core.model.Resources> used = new HashMap<>();
        for (Pod p : admin.pods().inAnyNamespace().list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node != null && node.startsWith("mx-")) {
                used.merge(node, SchedulerITSupport.requestsOf(p), io.qshard.core.model.Resources::plus);
            }
        }
        for (Node n : admin.nodes().list().getItems()) {
            String name = n.getMetadata().getName();
            if (!name.startsWith("mx-")) {
                continue;
            }
            io.qshard.core.model.Resources alloc =
                    io.qshard.kube.convert.NodeConverter.convert(n).allocatable();
            io.qshard.core.model.Resources u = used.getOrDefault(name, io.qshard.core.model.Resources.ZERO);
            assertThat(u.milliCpu()).as(name + " cpu requests").isLessThanOrEqualTo(alloc.milliCpu());
            assertThat(u.memoryBytes()).as(name + " memory requests").isLessThanOrEqualTo(alloc.memoryBytes());
            assertThat(u.batchMilliCpu()).as(name + " batch-cpu requests").isLessThanOrEqualTo(alloc.batchMilliCpu());
            assertThat(u.batchMemoryBytes())
                    .as(name + " batch-memory requests")
                    .isLessThanOrEqualTo(alloc.batchMemoryBytes());
        }
    }

    /** batch pool = 0.85 × cpu − usage(prod) − usage(mid) − 0.05 × cpu, against the batch and free pods' usage. */
    private static void assertBatchPoolHolds(KubernetesClient admin, String ns, String node) {
        NodeUsageStatus s =
                admin.resources(NodeUsage.class).withName(node).get().getStatus();
        long prod = cpu(s.getTiers().get("prod"));
        long mid = cpu(s.getTiers().get("mid"));
        long lower = cpu(s.getTiers().get("batch")) + cpu(s.getTiers().get("free"));
        long pool = (long) (0.85 * CPU) - prod - mid - (long) (0.05 * CPU);
        // one 1000m pod of slack: the report and the last placement are up to an interval apart
        assertThat(lower)
                .as(node + ": batch+free usage vs the batch pool " + pool)
                .isLessThanOrEqualTo(pool + 1_000);
    }

    private static long cpu(UsageAmount u) {
        return u == null ? 0 : u.getCpuMilli();
    }

    private static Map<String, Long> boundPerTier(KubernetesClient admin, String ns) {
        Map<String, Long> out = new HashMap<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
                out.merge(p.getSpec().getSchedulerName().replace("qshard-", ""), 1L, Long::sum);
            }
        }
        return out;
    }

    /** Leaves nothing for the ITs after this one: its pods (pending ones would be scheduled there) and reports. */
    private static void cleanUp(KubernetesClient admin, String ns) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.resources(NodeUsage.class).delete();
    }
}
