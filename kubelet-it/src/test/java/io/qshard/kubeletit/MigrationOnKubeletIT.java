package io.qshard.kubeletit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kubeletit.support.MigrationRig;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.KubeletPods;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Migration and eviction end to end on two real kubelet nodes (1000m allocatable each), with kube-controller-manager
 * running the ReplicaSet and the kubelets finishing deletions themselves: the migration loop evicts a mid pod from a
 * hot node, its replacement is placed by the mid scheduler on the other node and really runs there, the hot node
 * cools, and nothing moves back. In-process: a node agent per node, the mid scheduler, the migration loop
 * ({@link MigrationRig}). Assertions are on pod state, Events, cgroup files and counters, NodeUsage — never on a
 * measured cpu rate.
 *
 * <p>Load, busy loops capped by their cpu quotas (0.55 core in all, so the rule holds with the machine shared):
 * node 1 runs {@code prod-g} (Guaranteed 250m) and the one replica of Deployment {@code mig-mid} (Burstable, request
 * 200m, limit 300m; node 2 is cordoned until it runs). Rule: hot above 40 % for 2 reports, cool under 35 %, evict to
 * 30 %, cooldown 10 s, predictions off.
 * <ul>
 *   <li>node 1 at ≤ 250 + 300 = 550m: hot once its pods get more than 400m; excess ≤ 550 − 300 = 250m, which the mid
 *       pod's usage covers; it fits on node 2 (mid pool 850 − 50 = 800m ≥ 200m);</li>
 *   <li>after the move node 1 is at ≤ 250m (under 35 %) and node 2 at ≤ 300m (under 40 %): neither is hot, so over
 *       the cooldown and three more reports nothing is evicted again.</li>
 * </ul>
 * On node 1 the agent's burstable quota is max(200, 850 − 250 − 50) = 550m, above the mid pod's 300m limit.
 */
@RealControlPlane(kubeletNodes = 2, controllerManager = true)
class MigrationOnKubeletIT {
    private static final Duration COOLDOWN = Duration.ofSeconds(10);
    private static final double COOL = 0.35;
    private static final String APP = "mig-mid";

    @Test
    void anEvictedPodsReplacementRunsOnTheOtherRealNodeAndNothingMovesBack(
            KubernetesClient admin, LocalControlPlane cp, KubeletNodes nodes) throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        String ns = Namespaces.fresh(admin, "mig-kl");
        KubeletNode hot = nodes.node(0);
        KubeletNode cool = nodes.node(1);
        QshardConfig cfg = MigrationRig.config(new MigrationConfig(
                true, 0.40, 2, false, COOL, 0.30, Duration.ofSeconds(1), COOLDOWN, 20, 3, 2, Duration.ZERO));
        cordon(admin, cool.name(), true);
        try (MigrationRig rig = MigrationRig.start(cp, nodes, cfg)) {
            Pod prod = PodFixture.pod("prod-g")
                    .namespace(ns)
                    .tier("prod")
                    .cpuMilli(250)
                    .memoryMi(32)
                    .onKubelet()
                    .busyLoop()
                    .build();
            prod.getSpec().setNodeName(hot.name());
            admin.resource(prod).create();
            KubeletPods.awaitRunning(admin, ns, "prod-g", Duration.ofSeconds(60));
            admin.resource(deployment(ns)).create();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> live(admin, ns).stream()
                            .anyMatch(p -> hot.name().equals(p.getSpec().getNodeName()) && KubeletPods.running(p)));
            Pod original = live(admin, ns).get(0);
            String rs = original.getMetadata().getOwnerReferences().get(0).getUid();
            Path originalCgroup = KubeletPods.podCgroup(hot, original, "cpu");
            assertThat(originalCgroup)
                    .as("the kubelet's cgroup of the mid pod on node 1")
                    .isDirectory();
            cordon(admin, cool.name(), false);

            MigrationController loop = rig.startMigration(admin, cp);
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).until(() -> loop.evicted.sum() >= 1);
            lap(t0, "evicted from node 1");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.v1().events().inNamespace(ns).list().getItems().stream()
                            .anyMatch(e -> "Migrating".equals(e.getReason())
                                    && original.getMetadata()
                                            .getUid()
                                            .equals(e.getInvolvedObject().getUid())));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.v1().events().inNamespace("default").list().getItems().stream()
                            .anyMatch(e -> "Migrating".equals(e.getReason())
                                    && "Node".equals(e.getInvolvedObject().getKind())
                                    && hot.name().equals(e.getInvolvedObject().getName())));
            // the kubelet stops the container and removes the pod: its cgroup goes with it
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> admin.pods()
                                    .inNamespace(ns)
                                    .withName(original.getMetadata().getName())
                                    .get()
                            == null);
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(originalCgroup));
            lap(t0, "original pod and its cgroup gone");

            // the replacement: same ReplicaSet, new pod, running on node 2
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> live(admin, ns).stream()
                            .anyMatch(p -> cool.name().equals(p.getSpec().getNodeName()) && KubeletPods.running(p)));
            lap(t0, "replacement Running on node 2");
            Pod replacement = live(admin, ns).get(0);
            assertThat(live(admin, ns)).hasSize(1);
            assertThat(replacement.getMetadata().getUid())
                    .isNotEqualTo(original.getMetadata().getUid());
            assertThat(replacement.getMetadata().getOwnerReferences().get(0).getUid())
                    .isEqualTo(rs);
            assertThat(replacement.getSpec().getSchedulerName()).isEqualTo("qshard-mid");
            assertThat(replacement
                            .getStatus()
                            .getContainerStatuses()
                            .get(0)
                            .getState()
                            .getRunning())
                    .isNotNull();
            // its busy loop really runs in the kubelet's cgroup on node 2: the cpu counter rises by 100 ms of cpu
            Path usage = KubeletPods.podCgroup(cool, replacement, "cpuacct").resolve("cpuacct.usage");
            long before = counter(usage);
            await().atMost(Duration.ofSeconds(30)).until(() -> counter(usage) >= before + 100_000_000L);

            // node 1 cools: its reports fall under the cool threshold, and the loop's rule sees no hot node
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> nodeCpuMilli(admin, hot.name()) < COOL * hot.allocatableMilliCpu());
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.hotNodes() == 0);
            lap(t0, "node 1 cool");

            // no ping-pong: over the cooldown and three more reports, still one eviction and the pod stays on node 2
            String uid = replacement.getMetadata().getUid();
            Duration window = COOLDOWN.plus(MigrationRig.REPORT_INTERVAL.multipliedBy(3));
            await().during(window).atMost(window.plusSeconds(30)).until(() -> {
                List<Pod> now = live(admin, ns);
                return loop.evicted.sum() == 1
                        && now.size() == 1
                        && uid.equals(now.get(0).getMetadata().getUid())
                        && cool.name().equals(now.get(0).getSpec().getNodeName())
                        && KubeletPods.running(now.get(0));
            });
            assertThat(loop.plan().moves()).isEmpty();
            assertThat(loop.errors.sum() + loop.blocked.sum()).isZero();
            assertThat(admin.pods()
                            .inNamespace(ns)
                            .withName("prod-g")
                            .get()
                            .getStatus()
                            .getContainerStatuses())
                    .singleElement()
                    .satisfies(s ->
                            assertThat(s.getRestartCount()).as("prod untouched").isZero());
        } finally {
            admin.apps().deployments().inNamespace(ns).withName(APP).delete();
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            cordon(admin, cool.name(), false);
        }
    }

    private static Deployment deployment(String ns) {
        Pod template = PodFixture.pod(APP)
                .namespace(ns)
                .tier("mid")
                .cpuMilli(200)
                .cpuLimitMilli(300)
                .memoryMi(32)
                .onKubelet()
                .busyLoop()
                .build();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(APP)
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(Map.of("app", APP))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", APP))
                .endMetadata()
                .withSpec(template.getSpec())
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The Deployment's pods that are not on their way out. */
    private static List<Pod> live(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).withLabel("app", APP).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    private static void cordon(KubernetesClient admin, String node, boolean on) {
        admin.nodes()
                .withName(node)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":" + on + "}}");
    }

    private static long nodeCpuMilli(KubernetesClient admin, String node) {
        NodeUsage u = admin.resources(NodeUsage.class).withName(node).get();
        Long cpu = u == null || u.getStatus() == null || u.getStatus().getNode() == null
                ? null
                : u.getStatus().getNode().getCpuMilli();
        return cpu == null ? Long.MAX_VALUE : cpu;
    }

    private static void lap(long t0, String what) {
        System.out.printf(
                "MIGRATION ON KUBELETS: %s %.1f s after the loop started%n", what, (System.nanoTime() - t0) / 1e9);
    }

    private static long counter(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).trim());
    }
}
