package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.pool.PoolConfig;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.usage.api.NodeUsage;
import io.qshard.shard.usage.api.NodeUsageCrd;
import io.qshard.shard.usage.api.NodeUsageStatus;
import io.qshard.shard.usage.api.PodUsage;
import io.qshard.shard.usage.api.UsageAmount;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The batch scheduler on real usage, on the real apiserver: four 10-core nodes whose prod pods request 80 % of the
 * cpu but use 20 % (NodeUsage reports, refreshed every second by the test, as the simulator would) take batch pods
 * beyond what requests allow, up to the batch pool and no further; when prod usage rises to 70 % no new batch pod
 * lands; when the reports stop, the nodes fall back to the conservative view within the staleness limit.
 *
 * <p>Pool arithmetic (cpu; defaults: peakCap = 0.85 × 10000 = 8500m, margin = 0.05 × 10000 = 500m):
 * conservative batch pool = 8500 − 8000 (prod requests) − 500 = 0; at 20 % prod usage = 8500 − 2000 − 500 = 6000m,
 * i.e. at most six 1000m batch pods per node — five when the predicted peak of prod sits a little above the reports
 * (the predictors' 2-point buckets: up to 8500 − 2200 − 500 = 5800m); at 70 % = 8500 − 7000 − 500 − the batch pods'
 * estimates &lt; 0.
 */
@RealControlPlane
class UsagePoolsIT {
    private static final int NODES = 4;
    private static final long PROD_CPU_PER_NODE = 8_000;
    private static final Duration STALE_AFTER = Duration.ofSeconds(5);

    @Test
    void batchBorrowsWhatProdDoesNotUseAndNoMore(KubernetesClient admin, LocalControlPlane cp) throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete(); // reports left by other ITs would count as rejected (no such node)
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.resources(NodeUsage.class).list().getItems().isEmpty());
        String ns = Namespaces.fresh(admin, "usagepools");
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            nodes.add(NodeFixture.node(String.format("up-%04d", i)).cpu("10").memory("40Gi")
                    .batch(8_500, 34L << 30).build());
        }
        Bulk.create(admin, nodes, NODES);
        // prod: four 2000m / 8Gi pods bound to each node (80 % of cpu requested)
        Map<String, List<Pod>> prodByNode = new HashMap<>();
        for (Node n : nodes) {
            String name = n.getMetadata().getName();
            for (int k = 0; k < 4; k++) {
                Pod p = PodFixture.pod(name + "-prod-" + k).namespace(ns).tier("prod").cpuMilli(2_000).memoryMi(8 * 1024)
                        .build();
                p.getSpec().setNodeName(name);
                prodByNode.computeIfAbsent(name, x -> new ArrayList<>()).add(admin.resource(p).create());
            }
        }
        // the reports: prod uses `prodMilli` per node; written every second until stopped
        AtomicLong prodMilli = new AtomicLong(2_000);
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        for (Node n : nodes) {
            NodeUsage nu = new NodeUsage();
            nu.setMetadata(new ObjectMetaBuilder().withName(n.getMetadata().getName()).build());
            admin.resources(NodeUsage.class).resource(nu).create();
        }
        reporter.scheduleAtFixedRate(() -> report(admin, prodByNode, prodMilli.get()), 0, 1, TimeUnit.SECONDS);

        PoolConfig pools = new PoolConfig(0.85, 0.90, 0.05, 0.05, 1.0, Duration.ofSeconds(10), STALE_AFTER);
        QshardConfig base = QshardConfig.defaults();
        QshardConfig cfg = new QshardConfig(base.tiers(), pools, base.nodesToScore(), base.backoff(),
                base.unschedulableTimeout());
        KubernetesClient client = SchedulerProcess.clientFor(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(cp.kubeconfig().toFile()), SchedulerITSupport.AGENT);
        SchedulerProcess batch = SchedulerProcess.start(client, cfg, ShippedPlugins.registry(), List.of(cfg.tier("batch")),
                SchedulerSettings.defaults(), Duration.ofSeconds(60), Clock.systemUTC());
        try {
            assertThat(batch.informers().watchesUsage()).isTrue();
            TierScheduler scheduler = batch.schedulers().get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.usage().reporting() == NODES);

            // phase 1: 40 batch pods of 1000m; the pools hold 20 to 24 of them
            List<Pod> wave = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                wave.add(PodFixture.pod("b-" + i).namespace(ns).tier("batch").cpuMilli(1_000).memoryMi(1024).build());
            }
            Bulk.create(admin, wave, 8);
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long now = bound(admin, ns); // settled: at least the pool's lower bound, unchanged for a second
                boolean stable = now >= 5L * NODES && now == last[0];
                last[0] = now;
                return stable;
            });
            long settled = bound(admin, ns);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> bound(admin, ns) == settled);
            assertThat(settled).isBetween(5L * NODES, 6L * NODES);
            // independent audit: per node, batch requests ≤ the pool recomputed from API state (and > 0, which the
            // conservative view would not allow), and what a kubelet admits
            Map<String, Long> perNode = batchBoundPerNode(admin, ns);
            for (Node n : nodes) {
                long pool = 8_500 - prodMilli.get() - 500;
                long batchMilli = perNode.getOrDefault(n.getMetadata().getName(), 0L) * 1_000;
                assertThat(batchMilli).as(n.getMetadata().getName()).isPositive().isLessThanOrEqualTo(pool);
            }
            assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
            assertThat(scheduler.usage().rejected.sum()).isZero();

            // phase 2: prod usage up to 70 %: nothing new fits, the ones waiting and 8 more stay pending
            prodMilli.set(7_000);
            long applied = scheduler.usage().applied.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.usage().applied.sum() >= applied + 2 * NODES);
            List<Pod> more = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                more.add(PodFixture.pod("c-" + i).namespace(ns).tier("batch").cpuMilli(1_000).memoryMi(1024).build());
            }
            Bulk.create(admin, more, 8);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> bound(admin, ns) == settled);

            // phase 3: the reports stop; within the staleness limit (+ the 1 s tick) every node is conservative
            reporter.shutdownNow();
            reporter.awaitTermination(5, TimeUnit.SECONDS);
            Instant stopped = Instant.now();
            await().atMost(STALE_AFTER.plusSeconds(4)).until(() -> scheduler.usage().reporting() == 0
                    && scheduler.usage().staled.sum() >= NODES);
            assertThat(Duration.between(stopped, Instant.now())).isLessThanOrEqualTo(STALE_AFTER.plusSeconds(3));
        } finally {
            reporter.shutdownNow();
            batch.stop(Duration.ofSeconds(5));
            cleanUp(admin, ns);
        }
    }

    private static long bound(KubernetesClient admin, String ns) {
        return batchBoundPerNode(admin, ns).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> batchBoundPerNode(KubernetesClient admin, String ns) {
        Map<String, Long> out = new HashMap<>();
        for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node != null && !node.isEmpty() && "qshard-batch".equals(p.getSpec().getSchedulerName())) {
                out.merge(node, 1L, Long::sum);
            }
        }
        return out;
    }

    private static void report(KubernetesClient admin, Map<String, List<Pod>> prodByNode, long prodMilli) {
        try {
            for (Map.Entry<String, List<Pod>> e : prodByNode.entrySet()) {
                NodeUsageStatus s = new NodeUsageStatus();
                s.setTimestamp(Instant.now().toString());
                s.setWindowSeconds(1);
                s.setReporter("usage-pools-it");
                s.setNode(new UsageAmount(prodMilli, 8L << 30));
                s.setTiers(Map.of("prod", new UsageAmount(prodMilli, 8L << 30)));
                List<PodUsage> pods = new ArrayList<>();
                for (Pod p : e.getValue()) {
                    pods.add(new PodUsage(p.getMetadata().getUid(), p.getMetadata().getNamespace(),
                            p.getMetadata().getName(), "prod", prodMilli / e.getValue().size(), 2L << 30));
                }
                s.setPods(pods);
                NodeUsage nu = admin.resources(NodeUsage.class).withName(e.getKey()).get();
                nu.setStatus(s);
                admin.resources(NodeUsage.class).resource(nu).updateStatus();
            }
        } catch (RuntimeException ex) {
            // the next tick retries; the test's awaits decide
        }
    }

    /** Leaves nothing for the ITs after this one: its pods (pending ones would be scheduled there) and reports. */
    private static void cleanUp(KubernetesClient admin, String ns) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.resources(NodeUsage.class).delete();
    }
}
