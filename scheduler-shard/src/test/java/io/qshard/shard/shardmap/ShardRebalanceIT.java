package io.qshard.shard.shardmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.shard.PodOwnership;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapStatus;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Shards of the prod tier on the real apiserver, one instance per shard (no election: every instance acknowledges):
 * a rebalance from 2 to 3 shards while pods keep arriving, audited every 50 ms through the instances' acknowledgements
 * ({@code ShardMap.status.acks}: the nodes each places on, written before it acquires and after it releases); and a
 * pod that only a node of another shard can take, placed by that shard after rotation.
 */
@RealControlPlane
class ShardRebalanceIT {
    private static final Duration ROTATION = Duration.ofSeconds(4);

    @Test
    void twoToThreeShardsWhilePodsArriveNeverActivatesANodeInTwoShards(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        admin.resources(ShardMap.class).withName("prod").delete();
        admin.nodes().delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.nodes().list().getItems().isEmpty());
        String ns = Namespaces.fresh(admin, "rebalance");
        List<io.fabric8.kubernetes.api.model.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            nodes.add(NodeFixture.node(String.format("rb-%02d", i))
                    .cpu("8")
                    .memory("32Gi")
                    .build());
        }
        Bulk.create(admin, nodes, 8);
        QshardConfig two = QshardConfig.defaults().withShards("prod", 2).withShardRotation(ROTATION);
        QshardConfig three = two.withShards("prod", 3);
        List<SchedulerProcess> instances = List.of(start(cp, two, 0), start(cp, two, 1), start(cp, three, 2));
        AtomicBoolean arriving = new AtomicBoolean(true);
        AtomicInteger created = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicInteger audits = new AtomicInteger();
        Thread producer = new Thread(() -> {
            while (arriving.get()) {
                List<Pod> wave = new ArrayList<>();
                for (int k = 0; k < 20; k++) {
                    wave.add(PodFixture.pod("p-" + created.getAndIncrement())
                            .namespace(ns)
                            .tier("prod")
                            .cpuMilli(100 + k * 5)
                            .memoryMi(128)
                            .build());
                }
                Bulk.create(admin, wave, 4);
                sleepQuietly(200); // the arrival rate of the workload, not a synchronisation
            }
        });
        Thread audit = new Thread(() -> {
            while (violation.get() == null && !Thread.currentThread().isInterrupted()) {
                String v = disjoint(admin);
                if (v != null) {
                    violation.set(v);
                }
                audits.incrementAndGet();
                sleepQuietly(50); // the audit's sampling period
            }
        });
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acked(admin, 2, 1));
            producer.start();
            audit.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> bound(admin, ns) >= 200);

            StringWriter out = new StringWriter();
            Rebalance r = new Rebalance(admin, "prod", null, Clock.systemUTC(), new PrintWriter(out, true));
            Rebalance.Plan plan = r.plan(3, Integer.MAX_VALUE);
            assertThat(plan.moves())
                    .as("a third of the nodes move to the new shard")
                    .hasSize(8)
                    .allMatch(m -> m.to() == 2);
            r.apply(plan, Duration.ofSeconds(60));
            assertThat(out.toString())
                    .contains("step 1/2")
                    .contains("step 2/2")
                    .contains("done: epoch 2 STABLE, 3 shards");

            await().atMost(Duration.ofSeconds(20)).until(() -> acked(admin, 3, 2));
            arriving.set(false);
            producer.join();
            await().atMost(Duration.ofSeconds(90)).until(() -> bound(admin, ns) == created.get());
        } finally {
            arriving.set(false);
            audit.interrupt();
            audit.join();
            instances.forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
        assertThat(violation.get()).as("a node acknowledged by two shards").isNull();
        assertThat(audits.get()).as("audits run during the change").isGreaterThan(20);
        ShardMap map = admin.resources(ShardMap.class).withName("prod").get();
        assertThat(map.getSpec().getShards()).isEqualTo(3);
        assertThat(map.getSpec().getAssignment().get("2")).hasSize(8);
        assertThat(io.qshard.shard.scheduler.SchedulerITSupport.overcommittedNodes(admin))
                .isEmpty();
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
    }

    @Test
    void aPodOnlyAnotherShardCanPlaceIsPlacedThereAfterRotation(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        admin.resources(ShardMap.class).withName("prod").delete();
        admin.nodes().delete();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.nodes().list().getItems().isEmpty());
        String ns = Namespaces.fresh(admin, "rotation");
        List<io.fabric8.kubernetes.api.model.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(NodeFixture.node(String.format("ro-%02d", i))
                    .cpu("8")
                    .memory("32Gi")
                    .build());
        }
        Bulk.create(admin, nodes, 6);
        QshardConfig two = QshardConfig.defaults().withShards("prod", 2).withShardRotation(ROTATION);
        List<SchedulerProcess> instances = List.of(start(cp, two, 0), start(cp, two, 1));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acked(admin, 2, 1));
            String pinned = admin.resources(ShardMap.class)
                    .withName("prod")
                    .get()
                    .getSpec()
                    .getAssignment()
                    .get("1")
                    .get(0);
            // the apiserver picks the uids, and the uid picks the first owner: create pods until shard 0 (which cannot
            // place them) owns one first, and at least 8 in all
            int ownedByZeroFirst = 0;
            int made = 0;
            while (made < 8 || ownedByZeroFirst == 0) {
                assertThat(made)
                        .as("pods created without one owned first by shard 0 (PodOwnership spreads uids "
                                + "over both shards, each with probability 1/2)")
                        .isLessThan(64);
                Pod p = admin.resource(PodFixture.pod("pinned-" + made++)
                                .namespace(ns)
                                .tier("prod")
                                .cpuMilli(100)
                                .nodeSelector("kubernetes.io/hostname", pinned)
                                .build())
                        .create();
                if (PodOwnership.owner(p.getMetadata().getUid(), created(p), created(p), 2, ROTATION) == 0) {
                    ownedByZeroFirst++;
                }
            }
            await().atMost(ROTATION.multipliedBy(2).plusSeconds(15))
                    .until(() -> admin.pods().inNamespace(ns).list().getItems().stream()
                            .allMatch(p -> pinned.equals(p.getSpec().getNodeName())));
        } finally {
            instances.forEach(p -> p.stop(Duration.ofSeconds(5)));
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        }
    }

    private static SchedulerProcess start(LocalControlPlane cp, QshardConfig cfg, int shard) {
        var client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-shard-" + shard);
        SchedulerSettings settings = new SchedulerSettings(
                32,
                10,
                50,
                null,
                "instance-" + shard,
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2));
        return SchedulerProcess.startInstances(
                client,
                cfg,
                ShippedPlugins.registry(),
                List.of(new SchedulerProcess.Instance(cfg.tier("prod"), shard)),
                settings,
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    /** Whether every shard 0..shards-1 acknowledged {@code epoch}. */
    private static boolean acked(KubernetesClient admin, int shards, long epoch) {
        ShardMap m = admin.resources(ShardMap.class).withName("prod").get();
        if (m == null || m.getStatus() == null || m.getStatus().getAcks() == null) {
            return false;
        }
        for (int s = 0; s < shards; s++) {
            ShardMapStatus.Ack a = m.getStatus().getAcks().get(Integer.toString(s));
            if (a == null || a.getEpoch() == null || a.getEpoch() != epoch || !"Stable".equals(a.getPhase())) {
                return false;
            }
        }
        return true;
    }

    /** null when no node is in the acknowledged active sets of two shards, else a description. */
    private static String disjoint(KubernetesClient admin) {
        ShardMap m = admin.resources(ShardMap.class).withName("prod").get();
        if (m == null || m.getStatus() == null || m.getStatus().getAcks() == null) {
            return null;
        }
        Map<String, String> owner = new java.util.HashMap<>();
        for (Map.Entry<String, ShardMapStatus.Ack> e : m.getStatus().getAcks().entrySet()) {
            for (String n : e.getValue().getActiveNodes() == null
                    ? List.<String>of()
                    : e.getValue().getActiveNodes()) {
                String other = owner.put(n, e.getKey());
                if (other != null) {
                    return "node " + n + " active in shards " + other + " and " + e.getKey() + " at epoch "
                            + m.getSpec().getEpoch();
                }
            }
        }
        return null;
    }

    private static long bound(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null
                        && !p.getSpec().getNodeName().isEmpty())
                .count();
    }

    private static Instant created(Pod p) {
        return OffsetDateTime.parse(p.getMetadata().getCreationTimestamp()).toInstant();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Set<String> names(List<String> l) {
        return new HashSet<>(l);
    }
}
