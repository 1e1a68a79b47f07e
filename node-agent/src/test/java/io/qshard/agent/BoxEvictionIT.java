package io.qshard.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.agent.testing.FakeCgroups;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.ResourceNames;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.fixtures.ServiceAccounts;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' eviction rule against the real apiserver: on a 4-core node whose Guaranteed pod uses 3.5 cores, the
 * besteffort box is max(0, 3400 − 3500 − 200 burstable − 200 margin) = 0, under one core; after the grace every
 * besteffort pod on that node receives an eviction and nothing else does — not the Guaranteed or Burstable pods, not
 * a besteffort pod of another node. In dry-run nothing is evicted and no cgroup is written. Usage comes from a fake
 * cgroup tree whose counters a background writer advances at fixed rates (the real-cgroup path is
 * {@link CgroupIsolationIT}). The agent runs as its ServiceAccount with the manifests' RBAC.
 */
@RealControlPlane
class BoxEvictionIT {
    private static final String NODE = "agent-evict";

    @Test
    void aBoxUnderOneCorePastTheGraceEvictsEveryBesteffortPodOfTheNodeAndNothingElse(
            KubernetesClient admin, LocalControlPlane cp, @TempDir Path dir) throws Exception {
        Fleet f = fleet(admin, "agent-evict");
        try (Counters counters = new Counters(dir, f);
                KubernetesClient client = client(admin, cp);
                NodeAgent agent = new NodeAgent(settings(dir, false), client, Clock.systemUTC())) {
            agent.start(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> f.besteffort.stream().allMatch(p -> terminating(admin, p)));
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> f.others.stream().noneMatch(p -> terminating(admin, p)));
            // evicted pods stay Terminating (no kubelet here; on a node, for their grace period): never asked twice
            long evictions = agent.metrics().boxEvictions.sum();
            assertThat(evictions).isEqualTo(f.besteffort.size());
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> agent.metrics().boxEvictions.sum() == evictions);
            // the agent reported the node's usage and advertised a batch pool (0 here: prod leaves none)
            NodeUsage nu = admin.resources(NodeUsage.class).withName(NODE).get();
            // ~3500m (the writer's 100 ms steps against the 250 ms samples make the figure jitter)
            assertThat(nu.getStatus().getTiers().get("prod").getCpuMilli()).isBetween(2_000L, 5_000L);
            assertThat(nu.getStatus().getBatchCeiling()).isNotNull();
            assertThat(admin.nodes().withName(NODE).get().getStatus().getAllocatable())
                    .containsKey(ResourceNames.BATCH_CPU);
            assertThat(agent.metrics().apiErrors.sum())
                    .as("API writes refused (RBAC?)")
                    .isZero();
        } finally {
            cleanUp(admin, f);
        }
    }

    @Test
    void dryRunEvictsNothingAndWritesNoCgroup(KubernetesClient admin, LocalControlPlane cp, @TempDir Path dir)
            throws Exception {
        Fleet f = fleet(admin, "agent-dry");
        try (Counters counters = new Counters(dir, f);
                KubernetesClient client = client(admin, cp);
                NodeAgent agent = new NodeAgent(settings(dir, true), client, Clock.systemUTC())) {
            agent.start(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> agent.metrics().boxEvictions.sum() >= f.besteffort.size());
            assertThat(f.all()).noneMatch(p -> terminating(admin, p));
            String besteffort = counters.fake.layout.classParent(QosClass.BESTEFFORT);
            assertThat(counters.fake.cpuFile(besteffort, "cpu.cfs_quota_us")).isEqualTo("-1");
            assertThat(counters.fake.cpuFile(besteffort, "cpu.shares")).isEqualTo("1024");
        } finally {
            cleanUp(admin, f);
        }
    }

    /** The pods of one test: the node's besteffort pods, and the ones that must stay. */
    private record Fleet(String ns, Map<String, Pod> byName, List<Pod> besteffort, List<Pod> others) {
        List<Pod> all() {
            return List.copyOf(byName.values());
        }
    }

    private static Fleet fleet(KubernetesClient admin, String prefix) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).withName(NODE).delete();
        String ns = Namespaces.fresh(admin, prefix);
        admin.nodes()
                .resource(NodeFixture.node(NODE).cpu("4").memory("16Gi").build())
                .create();
        admin.nodes()
                .resource(NodeFixture.node(NODE + "-other")
                        .cpu("4")
                        .memory("16Gi")
                        .build())
                .create();
        Map<String, Pod> pods = new LinkedHashMap<>();
        pods.put(
                "prod",
                bound(
                        admin,
                        PodFixture.pod("prod")
                                .namespace(ns)
                                .tier("prod")
                                .cpuMilli(3_500)
                                .build(),
                        NODE));
        pods.put(
                "mid",
                bound(
                        admin,
                        PodFixture.pod("mid")
                                .namespace(ns)
                                .tier("mid")
                                .cpuMilli(200)
                                .build(),
                        NODE));
        pods.put(
                "batch-1",
                bound(
                        admin,
                        PodFixture.pod("batch-1")
                                .namespace(ns)
                                .tier("batch")
                                .cpuMilli(100)
                                .build(),
                        NODE));
        pods.put(
                "batch-2",
                bound(
                        admin,
                        PodFixture.pod("batch-2")
                                .namespace(ns)
                                .tier("batch")
                                .cpuMilli(100)
                                .build(),
                        NODE));
        pods.put(
                "free-1",
                bound(
                        admin,
                        PodFixture.pod("free-1")
                                .namespace(ns)
                                .tier("free")
                                .cpuMilli(100)
                                .build(),
                        NODE));
        pods.put(
                "elsewhere",
                bound(
                        admin,
                        PodFixture.pod("elsewhere")
                                .namespace(ns)
                                .tier("batch")
                                .cpuMilli(100)
                                .build(),
                        NODE + "-other"));
        List<Pod> besteffort = List.of(pods.get("batch-1"), pods.get("batch-2"), pods.get("free-1"));
        List<Pod> others = List.of(pods.get("prod"), pods.get("mid"), pods.get("elsewhere"));
        return new Fleet(ns, pods, besteffort, others);
    }

    /** A fake kubepods tree with the node's pods; a writer advances the cpu counters at fixed rates. */
    private static final class Counters implements AutoCloseable {
        final FakeCgroups fake;
        private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        private final long start = System.nanoTime();

        Counters(Path dir, Fleet f) {
            fake = new FakeCgroups(dir.resolve("cgroup"), 1, CgroupDriver.CGROUPFS);
            var l = fake.layout;
            Map<String, Long> rates = new LinkedHashMap<>(); // cgroup → milli-cores
            rates.put(l.pod(QosClass.GUARANTEED, uid(f, "prod")), 3_500L);
            rates.put(l.pod(QosClass.BURSTABLE, uid(f, "mid")), 200L);
            for (String be : List.of("batch-1", "batch-2", "free-1")) {
                rates.put(l.pod(QosClass.BESTEFFORT, uid(f, be)), 20L);
            }
            rates.put(l.classParent(QosClass.BURSTABLE), 200L);
            rates.put(l.classParent(QosClass.BESTEFFORT), 60L);
            rates.put(l.kubepods(), 3_760L);
            rates.keySet().forEach(fake::create);
            writer.scheduleAtFixedRate(
                    () -> {
                        long elapsed = System.nanoTime() - start;
                        rates.forEach((cg, milli) -> fake.set(cg, elapsed * milli / 1000, 64L << 20, 0));
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            writer.shutdownNow();
        }
    }

    private static AgentSettings settings(Path dir, boolean dryRun) {
        return new AgentSettings(
                NODE,
                dir.resolve("cgroup"),
                "",
                "1",
                CgroupDriver.CGROUPFS,
                Path.of("/proc"),
                UsageSampler.NodeSource.KUBEPODS,
                Duration.ofSeconds(2),
                Duration.ofMillis(250),
                0.1,
                1_000,
                Duration.ofSeconds(2),
                1.0,
                dryRun,
                0,
                QshardConfig.defaults());
    }

    /**
     * The agent's client authenticates as its ServiceAccount with exactly the RBAC of manifests/node-agent/rbac.yaml:
     * informers, reports, advertisements and evictions all run under it, so a verb missing there fails this test.
     */
    /**
     * The agent's client authenticates as its ServiceAccount with exactly the RBAC of manifests/node-agent/rbac.yaml:
     * informers, reports, advertisements and evictions all run under it, so a verb missing there fails this test.
     */
    private static KubernetesClient client(KubernetesClient admin, LocalControlPlane cp) {
        Path kubeconfig = ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-agent", Path.of("..", "manifests", "node-agent", "rbac.yaml"));
        return io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig.toFile()), "qshard-it-agent");
    }

    private static String uid(Fleet f, String name) {
        return f.byName().get(name).getMetadata().getUid();
    }

    private static Pod bound(KubernetesClient admin, Pod p, String node) {
        p.getSpec().setNodeName(node);
        return admin.resource(p).create();
    }

    /** Evicted: the apiserver set a deletion timestamp (no kubelet will finish the deletion) or the pod is gone. */
    private static boolean terminating(KubernetesClient admin, Pod p) {
        Pod now = admin.pods()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .get();
        return now == null || now.getMetadata().getDeletionTimestamp() != null;
    }

    private static void cleanUp(KubernetesClient admin, Fleet f) {
        admin.pods().inNamespace(f.ns()).withGracePeriod(0).delete();
        admin.nodes().withName(NODE).delete();
        admin.nodes().withName(NODE + "-other").delete();
        admin.resources(NodeUsage.class).withName(NODE).delete();
    }
}
