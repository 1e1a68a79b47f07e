package io.qshard.controllers.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.api.UsageAmount;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ratio controller against the real apiserver. Nodes of 16 cores / 64 GiB; usage reports written by the test.
 * Arithmetic (cpu peakCap 0.85, memory 0.90; max cpu 2.0, memory 1.5; step 0.1):
 * <ul>
 *   <li>ovc-room: 4 cores / 20 GiB used → cpu wanted 1 + (13.6 − 4) / 16 = 1.6, memory 1 + (57.6 − 20) / 64 = 1.59
 *       capped 1.5; both one step from 1.0 → 1.1;</li>
 *   <li>ovc-bad: cpu "abc" (hand-edited) → refused (Event) and replaced at once, from 1.0 to 1.1;</li>
 *   <li>ovc-floor: cpu 1.6, 12 cores used → wanted 1.1, a step down is 1.5, but its pods request 25 cores:
 *       floor 25 / 16 = 1.5625 → 1.57;</li>
 *   <li>ovc-out: not labelled → untouched.</li>
 * </ul>
 * After the change, the next cycles within the minimum interval change nothing; in dry-run nothing is written.
 */
@RealControlPlane
class OversaleControllerIT {
    @Test
    void ratiosFollowRoomInStepsNeverBelowRequestsAndBadOnesAreReplaced(KubernetesClient admin, LocalControlPlane cp)
            throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        admin.resources(NodeUsage.class).delete();
        String ns = Namespaces.fresh(admin, "oversale");
        node(admin, "ovc-room", true, Map.of());
        node(admin, "ovc-bad", true, Map.of(OversaleRatio.CPU_ANNOTATION, "abc"));
        node(
                admin,
                "ovc-floor",
                true,
                Map.of(OversaleRatio.CPU_ANNOTATION, "1.6", OversaleRatio.MEMORY_ANNOTATION, "1.0"));
        node(admin, "ovc-out", false, Map.of(OversaleRatio.CPU_ANNOTATION, "1.3"));
        pod(admin, ns, "room-1", "ovc-room", 8_000);
        pod(admin, ns, "floor-1", "ovc-floor", 12_500);
        pod(admin, ns, "floor-2", "ovc-floor", 12_500);
        report(admin, "ovc-room", 4_000, 20L << 30);
        report(admin, "ovc-bad", 4_000, 20L << 30);
        report(admin, "ovc-floor", 12_000, 20L << 30);
        report(admin, "ovc-out", 1_000, 10L << 30);

        OversaleSettings settings = new OversaleSettings(
                new RatioPolicy(2.0, 0.85, 0.1, Duration.ofHours(1)),
                new RatioPolicy(1.5, 0.90, 0.1, Duration.ofHours(1)),
                Duration.ofHours(1),
                false,
                null,
                "it");
        try (OversaleController dry = controller(admin, cp, settings(settings, true))) {
            dry.start(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> dry.cycle().stream().anyMatch(f -> f.peak() != null && f.changes()));
            assertThat(annotations(admin, "ovc-room")).doesNotContainKey(OversaleRatio.CPU_ANNOTATION);
            assertThat(annotations(admin, "ovc-bad")).containsEntry(OversaleRatio.CPU_ANNOTATION, "abc");
            assertThat(dry.changes.sum()).isPositive();
        }
        try (OversaleController controller = controller(admin, cp, settings)) {
            controller.start(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<OversalePlan.Facts> plan = controller.cycle();
                return plan.size() == 3 && plan.stream().allMatch(f -> f.peak() != null);
            });
            assertThat(annotations(admin, "ovc-room"))
                    .containsEntry(OversaleRatio.CPU_ANNOTATION, "1.1")
                    .containsEntry(OversaleRatio.MEMORY_ANNOTATION, "1.1")
                    .containsKey(OversalePlan.CHANGED_AT);
            assertThat(annotations(admin, "ovc-bad")).containsEntry(OversaleRatio.CPU_ANNOTATION, "1.1");
            assertThat(annotations(admin, "ovc-floor")).containsEntry(OversaleRatio.CPU_ANNOTATION, "1.57");
            assertThat(annotations(admin, "ovc-out"))
                    .containsEntry(OversaleRatio.CPU_ANNOTATION, "1.3")
                    .doesNotContainKey(OversalePlan.CHANGED_AT);
            assertThat(controller.refused.sum()).isPositive();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.v1().events().inNamespace("default").list().getItems().stream()
                            .anyMatch(e -> "OversaleRatioRefused".equals(e.getReason())
                                    && "ovc-bad".equals(e.getInvolvedObject().getName())));
            // within the minimum interval nothing changes again
            long changes = controller.changes.sum();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> controller.cycle().stream().noneMatch(OversalePlan.Facts::changes));
            assertThat(controller.changes.sum()).isEqualTo(changes);
        } finally {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.resources(NodeUsage.class).delete();
        }
    }

    private static OversaleSettings settings(OversaleSettings s, boolean dryRun) {
        return new OversaleSettings(s.cpu(), s.memory(), s.period(), dryRun, s.leaseNamespace(), s.identity());
    }

    /** The controller runs as its ServiceAccount with exactly the RBAC of manifests/oversale/controller.yaml. */
    private static OversaleController controller(
            KubernetesClient admin, LocalControlPlane cp, OversaleSettings settings) {
        java.nio.file.Path kubeconfig = io.qshard.localcluster.fixtures.ServiceAccounts.kubeconfigWithRbac(
                admin, cp, "qshard-oversale", java.nio.file.Path.of("..", "manifests", "oversale", "controller.yaml"));
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig.toFile()), "qshard-it-oversale");
        return new OversaleController(client, QshardConfig.defaults(), settings, Clock.systemUTC());
    }

    private static void node(KubernetesClient admin, String name, boolean optIn, Map<String, String> annotations) {
        NodeFixture f = NodeFixture.node(name).cpu("16").memory("64Gi");
        if (optIn) {
            f.label(OversaleRatio.OPT_IN_LABEL, "true");
        }
        Node n = f.build();
        n.getMetadata().setAnnotations(new HashMap<>(annotations));
        admin.resource(n).create();
    }

    private static void pod(KubernetesClient admin, String ns, String name, String node, long cpuMilli) {
        Pod p = PodFixture.pod(name)
                .namespace(ns)
                .tier("prod")
                .cpuMilli(cpuMilli)
                .memoryMi(1024)
                .build();
        p.getSpec().setNodeName(node);
        admin.resource(p).create();
    }

    private static void report(KubernetesClient admin, String node, long cpu, long memory) {
        NodeUsage nu = new NodeUsage();
        nu.setMetadata(new ObjectMetaBuilder().withName(node).build());
        nu = admin.resources(NodeUsage.class).resource(nu).create();
        NodeUsageStatus s = new NodeUsageStatus();
        s.setTimestamp(Instant.now().toString());
        s.setWindowSeconds(10);
        s.setReporter("it");
        s.setNode(new UsageAmount(cpu, memory));
        s.setTiers(Map.of("prod", new UsageAmount(cpu, memory)));
        nu.setStatus(s);
        admin.resources(NodeUsage.class).resource(nu).updateStatus();
    }

    private static Map<String, String> annotations(KubernetesClient admin, String node) {
        Map<String, String> a = admin.nodes().withName(node).get().getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
