package io.qshard.shard.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.shard.PodOwnership;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapSpec;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.AuditLog;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.scheduler.TierScheduler;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import io.qshard.simulator.TraceLoad;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's fault campaign on the real control plane: the schedulers of all four tiers (prod in two shards) in one
 * process electing leaders, the simulator reporting usage and advertising batch pools for 20 nodes, and a wave of 120
 * pods (30 per tier) arriving with every fault. The faults, one at a time and then together: absurd NodeUsage figures,
 * the prod ShardMap edited by hand into an invalid state, nodes with no, zero and int64-max allocatable, a node deleted
 * while pods are being bound to it, every leader Lease stolen, and the apiserver restarted after an etcd compaction (410
 * Gone on every watch). Each fault must show as a log line and a metric, and as an Event where it concerns an object.
 * Audit: allocation sampled every 100 ms (requests ≤ allocatable, batch pair included, on every node at every sample),
 * every pod bound and none bound twice (the apiserver's audit log of bindings), and afterwards a canary pod per tier
 * bound within 10 s.
 */
@RealControlPlane
class FaultCampaignIT {
    private static final String P = "fc-";
    private static final int NODES = 20;
    private static final String[] TIERS = {"prod", "mid", "batch", "free"};

    @Test
    void noFaultStopsATierOrOverbooksANode(KubernetesClient admin, LocalControlPlane cp) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        admin.resources(ShardMap.class).withName("prod").delete();
        String ns = Namespaces.fresh(admin, "faults");
        String leases = Namespaces.fresh(admin, "faultleases");
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(NodeFixture.node(P + i)
                    .cpu("8")
                    .memory("32Gi")
                    .label("sim", "faults")
                    .build());
        }
        nodes.add(NodeFixture.node(P + "rogue").cpu("8").memory("32Gi").build()); // reported on by a broken agent
        Bulk.create(admin, nodes, 8);
        QshardConfig cfg = QshardConfig.defaults().withShards("prod", 2).withShardRotation(Duration.ofSeconds(30));
        Campaign c = new Campaign(admin, ns);
        try (LogCapture logs = new LogCapture();
                AllocationSampler sampler = new AllocationSampler(admin, P, 100);
                SimulatorProcess sim = SimulatorProcess.start(
                        io.qshard.kube.client.ApiClients.create(
                                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                        cp.kubeconfig().toFile()),
                                "qshard-it-simulator"),
                        cfg,
                        SimulationSettings.of(TraceLoad.constant(0.25, 0.25))
                                .withNodeLabels(Map.of("sim", "faults"))
                                .withUtilisation(new PodUtilisation(0.3, 0.5, 3))
                                .withInterval(Duration.ofSeconds(1))
                                .withWriters(4),
                        Duration.ofSeconds(30),
                        Clock.systemUTC())) {
            PrometheusMetrics metrics = new PrometheusMetrics();
            SchedulerProcess sched = SchedulerProcess.startInstances(
                    io.qshard.kube.client.ApiClients.create(
                            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                    cp.kubeconfig().toFile()),
                            "qshard-it-faults"),
                    cfg,
                    ShippedPlugins.registry(),
                    SchedulerProcess.allShards(cfg.tiers()),
                    SchedulerSettings.defaults()
                            .withElection(
                                    leases,
                                    "faults",
                                    Duration.ofSeconds(4),
                                    Duration.ofSeconds(3),
                                    Duration.ofMillis(500)),
                    Duration.ofSeconds(60),
                    Clock.systemUTC(),
                    metrics);
            Metric m = new Metric(metrics);
            try {
                awaitLeading(sched);
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                admin.resources(ShardMap.class).withName("prod").get() != null);
                c.wave(); // settles the batch pools before the faults
                c.awaitBound();

                // 1. absurd NodeUsage figures, for a node nobody simulates and for one the simulator overwrites
                double malformed = m.value("qshard_informer_malformed_total");
                c.wave();
                Faults.absurdReport(admin, P + "rogue");
                Faults.absurdReport(admin, P + "0");
                c.faults++;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(m.value("qshard_informer_malformed_total")).isGreaterThan(malformed);
                    assertThat(logs.count("NodeUsage " + P + "rogue: status.node.cpuMilli", "2^53"))
                            .isPositive();
                    assertThat(c.events("NodeUsage", P + "rogue", "QshardMalformed"))
                            .isPositive();
                });
                c.awaitBound();

                // 2. the prod ShardMap edited into an invalid state (a node in two shards), restored afterwards
                c.wave();
                ShardMapSpec valid = Faults.breakShardMap(admin, "prod");
                c.faults++;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(m.value("qshard_shardmap_refused_total")).isPositive();
                    assertThat(logs.count("ShardMap prod refused", "is in shards 0 and 1"))
                            .isPositive();
                    assertThat(c.events("ShardMap", "prod", "QshardMalformed")).isPositive();
                });
                c.awaitBound();
                Faults.restoreShardMap(admin, "prod", valid);

                // 3. nodes with no, zero and int64-max allocatable
                double malformed3 = m.value("qshard_informer_malformed_total");
                c.wave();
                List<String> odd = Faults.oddNodes(admin, P + "a-");
                c.faults += 3;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(m.value("qshard_informer_malformed_total")).isGreaterThan(malformed3);
                    assertThat(logs.count("node " + odd.get(2) + ": status.allocatable.cpu", "2^53"))
                            .isPositive();
                    assertThat(c.events("Node", odd.get(2), "QshardMalformed")).isPositive();
                    assertThat(logs.count("node " + odd.get(0) + " reports no allocatable"))
                            .isPositive();
                    assertThat(c.events("Node", odd.get(0), "QshardNoAllocatable"))
                            .isPositive();
                });
                c.awaitBound();

                // 4. a node deleted while pods are being bound to it
                c.wave();
                String gone = P + (NODES - 1);
                int atDeletion = c.deleteNodeMidWave(gone);
                c.faults++;
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> logs.count("shard map", "1 deleted nodes dropped") > 0
                                && sched.schedulers().stream()
                                        .allMatch(s -> s.snapshot().node(gone).isEmpty()));
                c.awaitBound(); // every binding in flight at the deletion has landed
                int afterWave = c.onNode(gone);
                System.out.printf(
                        "node %s deleted with %d pods bound to it; %d more landed from bindings then in flight%n",
                        gone, atDeletion, afterWave - atDeletion);

                // 5. every leader Lease stolen
                long lost = logs.count("no longer leads");
                c.wave();
                int stolen = Faults.stealLeases(admin, leases);
                c.faults++;
                assertThat(stolen)
                        .as("Leases stolen")
                        .isEqualTo(sched.schedulers().size());
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() ->
                                logs.count("no longer leads") >= lost + stolen && m.value("qshard_leader") < stolen);
                awaitLeading(sched);
                c.awaitBound();

                // 6. the apiserver restarted after an etcd compaction: 410 Gone on every watch
                double lists = m.value("qshard_informer_lists_total");
                c.wave();
                Faults.restartWithCompaction(cp);
                c.faults++;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(m.value("qshard_informer_lists_total")).isGreaterThan(lists);
                    assertThat(logs.count("410 Gone", "re-listing")).isPositive();
                });
                c.awaitBound();

                // 7. all of them at once
                double malformed7 = m.value("qshard_informer_malformed_total");
                double refused7 = m.value("qshard_shardmap_refused_total");
                long lost7 = logs.count("no longer leads");
                double lists7 = m.value("qshard_informer_lists_total");
                c.wave();
                Faults.absurdReport(admin, P + "rogue");
                ShardMapSpec validAgain = Faults.breakShardMap(admin, "prod");
                Faults.oddNodes(admin, P + "b-");
                c.deleteNodeMidWave(P + (NODES - 2));
                Faults.stealLeases(admin, leases);
                Faults.restartWithCompaction(cp);
                c.faults += 8;
                Faults.restoreShardMap(admin, "prod", validAgain);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(m.value("qshard_informer_malformed_total")).isGreaterThan(malformed7);
                    assertThat(m.value("qshard_shardmap_refused_total")).isGreaterThan(refused7);
                    assertThat(logs.count("no longer leads")).isGreaterThan(lost7);
                    assertThat(m.value("qshard_informer_lists_total")).isGreaterThan(lists7);
                });
                awaitLeading(sched);
                c.awaitBound();
                // waves 5 to 7 arrived after every instance had dropped the node: none of them went there
                assertThat(c.onNode(gone))
                        .as("pods bound to " + gone + " after it was gone")
                        .isEqualTo(afterWave);

                // the faults have stopped: every tier still schedules
                // a canary per tier, and per prod shard: prod canaries until each shard owns one (PodOwnership)
                java.util.Set<Integer> prodShards = new java.util.HashSet<>();
                for (String tier : TIERS) {
                    for (int k = 0; tier.equals("prod") ? prodShards.size() < 2 : k < 1; k++) {
                        Pod canary = c.canary(tier + "-" + k, tier);
                        if (tier.equals("prod")) {
                            prodShards.add(PodOwnership.owner(
                                    canary.getMetadata().getUid(),
                                    Instant.parse(canary.getMetadata().getCreationTimestamp()),
                                    Instant.parse(canary.getMetadata().getCreationTimestamp()),
                                    2,
                                    cfg.shardRotation()));
                        }
                        await().atMost(Duration.ofSeconds(10))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> c.boundNode(canary.getMetadata().getName()) != null);
                        c.canaries++;
                    }
                }
                for (TierScheduler s : sched.schedulers()) {
                    String id = s.tier().name() + "/" + s.shard();
                    assertThat(s.isRunning()).as(id + " decision loop").isTrue();
                    assertThat(s.heartbeat().isFatal()).as(id + " heartbeat").isFalse();
                    assertThat(s.notReadyReason()).as(id + " ready").isEmpty();
                }
            } finally {
                sched.stop(Duration.ofSeconds(5));
            }
            assertThat(sampler.samples()).as("allocation samples").isGreaterThan(100);
            assertThat(sampler.breaches())
                    .as("requests beyond allocatable at a sample")
                    .isEmpty();
            assertThat(sampler.maxCpuFill()).as("the sampler saw placements").isGreaterThan(0.05);
            Map<String, Long> successful = successfulBindings(cp, ns, c.created);
            List<String> twice = successful.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toList());
            assertThat(twice).as("pods bound twice").isEmpty();
            System.out.printf(
                    "FAULT CAMPAIGN: faults injected %d, pods %d, bound %d, double bindings %d, over-allocations %d"
                            + " (%d samples, fullest node %.0f%% of its cpu), binding attempts refused 409 %d, canaries"
                            + " bound %d (every tier, both prod shards)%n",
                    c.faults,
                    c.created,
                    c.boundTotal(),
                    twice.size(),
                    sampler.breaches().size(),
                    sampler.samples(),
                    100 * sampler.maxCpuFill(),
                    conflicts(cp, ns),
                    c.canaries);
        } finally {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.resources(NodeUsage.class).delete();
            admin.resources(ShardMap.class).withName("prod").delete();
            admin.nodes().list().getItems().stream()
                    .filter(n -> n.getMetadata().getName().startsWith(P))
                    .forEach(n -> admin.nodes().resource(n).delete());
        }
    }

    private static void awaitLeading(SchedulerProcess sched) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sched.schedulers().stream().allMatch(TierScheduler::leading));
    }

    /** Binding attempts the apiserver refused with 409 (a pod bound already, or a conflict). */
    private static long conflicts(LocalControlPlane cp, String ns) {
        return new AuditLog(cp.auditLog().orElseThrow())
                .bindings(ns).stream().filter(e -> e.code() == 409).count();
    }

    /** Successful bindings per pod of {@code ns}, once the audit log holds one for (nearly) every pod. */
    private static Map<String, Long> successfulBindings(LocalControlPlane cp, String ns, int pods) {
        List<AuditLog.Event>[] bindings = new List[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    bindings[0] = new AuditLog(cp.auditLog().orElseThrow()).bindings(ns);
                    return bindings[0].stream()
                                    .map(AuditLog.Event::requestUri)
                                    .distinct()
                                    .count()
                            >= pods - 50; // a binding in flight at the restart may have no audit entry
                });
        return bindings[0].stream()
                .filter(e -> e.code() == 201)
                .collect(Collectors.groupingBy(AuditLog.Event::bindingPod, Collectors.counting()));
    }

    /** Sums the samples of one family (every label set) in the process's own /metrics text. */
    private record Metric(PrometheusMetrics metrics) {
        double value(String name) {
            return metrics.text()
                    .lines()
                    .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    /** The campaign's pods: waves of 30 per tier, and a canary per tier. */
    private static final class Campaign {
        private final KubernetesClient admin;
        private final String ns;
        private int waves;
        private Thread creating;
        int created;
        int faults;
        int canaries;

        Campaign(KubernetesClient admin, String ns) {
            this.admin = admin;
            this.ns = ns;
        }

        /** Starts creating the next wave (prod and mid 200m native, batch and free 100m of the batch pool). */
        void wave() {
            List<Pod> pods = new ArrayList<>();
            for (String tier : TIERS) {
                boolean nativeTier = tier.equals("prod") || tier.equals("mid");
                for (int i = 0; i < 30; i++) {
                    pods.add(PodFixture.pod(tier + "-" + waves + "-" + i)
                            .namespace(ns)
                            .tier(tier)
                            .cpuMilli(nativeTier ? 200 : 100)
                            .memoryMi(128)
                            .build());
                }
            }
            waves++;
            created += pods.size();
            creating = new Thread(() -> Bulk.create(admin, pods, 8), "wave-" + waves);
            creating.start();
        }

        /** Waits until every pod created so far is bound. */
        void awaitBound() {
            try {
                creating.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> boundTotal() == created);
        }

        long boundTotal() {
            return admin.pods().inNamespace(ns).list().getItems().stream()
                    .filter(p -> p.getSpec().getNodeName() != null
                            && !p.getSpec().getNodeName().isEmpty())
                    .count();
        }

        /** Once the wave is being bound, deletes {@code node}; returns how many pods it held then. */
        int deleteNodeMidWave(String node) {
            long before = boundTotal();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> boundTotal() >= before + 10);
            admin.nodes().withName(node).delete();
            return onNode(node);
        }

        int onNode(String node) {
            return admin.pods()
                    .inNamespace(ns)
                    .withField("spec.nodeName", node)
                    .list()
                    .getItems()
                    .size();
        }

        /** Creates a small pod of {@code tier}; returns it as created (uid, creation time). */
        Pod canary(String suffix, String tier) {
            Pod pod = admin.pods()
                    .resource(PodFixture.pod("canary-" + suffix)
                            .namespace(ns)
                            .tier(tier)
                            .cpuMilli(100)
                            .memoryMi(64)
                            .build())
                    .create();
            created++;
            return pod;
        }

        String boundNode(String pod) {
            Pod p = admin.pods().inNamespace(ns).withName(pod).get();
            String n = p == null ? null : p.getSpec().getNodeName();
            return n == null || n.isEmpty() ? null : n;
        }

        long events(String kind, String name, String reason) {
            return admin
                    .v1()
                    .events()
                    .inAnyNamespace()
                    .withField("involvedObject.name", name)
                    .list()
                    .getItems()
                    .stream()
                    .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && reason.equals(e.getReason()))
                    .count();
        }
    }
}
