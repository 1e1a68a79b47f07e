package io.qshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.ResourceNames;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator on the real apiserver: it plays the kubelets of its nodes only (label {@code sim=it}) — bound pods
 * become Running and Ready, a deleted pod is gone for good — and reports usage and advertises the batch pool.
 *
 * <p>Arithmetic per node (10 cores, prod requests 8000m, constant load 20 %, pool defaults): prod usage 2000m;
 * batch pool = 8500 − 2000 − 500 = 6000m advertised as qshard.io/batch-cpu.
 */
@RealControlPlane
class SimulatorIT {

    @Test
    void playsItsNodesKubelets(KubernetesClient admin, LocalControlPlane cp) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        String ns = Namespaces.fresh(admin, "simulator");
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(NodeFixture.node("sim-" + i)
                    .cpu("10")
                    .memory("40Gi")
                    .label("sim", "it")
                    .build());
        }
        nodes.add(NodeFixture.node("not-sim").cpu("10").memory("40Gi").build());
        Bulk.create(admin, nodes, 4);
        List<Pod> prod = new ArrayList<>();
        for (Node n : nodes) {
            for (int k = 0; k < 4; k++) {
                Pod p = PodFixture.pod(n.getMetadata().getName() + "-p" + k)
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(2_000)
                        .memoryMi(4096)
                        .build();
                p.getSpec().setNodeName(n.getMetadata().getName());
                prod.add(p);
            }
        }
        Bulk.create(admin, prod, 8);

        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-simulator");
        try (SimulatorProcess sim = SimulatorProcess.start(
                client,
                QshardConfig.defaults(),
                SimulationSettings.of(TraceLoad.constant(0.2, 0.3))
                        .withNodeLabels(Map.of("sim", "it"))
                        .withInterval(Duration.ofSeconds(1))
                        .withWriters(4),
                Duration.ofSeconds(30),
                Clock.systemUTC())) {
            // pods on its nodes run; the other node's pods are not its business
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
                    boolean ours = p.getSpec().getNodeName().startsWith("sim-");
                    assertThat(p.getStatus().getPhase())
                            .as(p.getMetadata().getName())
                            .isEqualTo(ours ? "Running" : "Pending");
                    if (ours) {
                        assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                            assertThat(c.getType()).isEqualTo("Ready");
                            assertThat(c.getStatus()).isEqualTo("True");
                        });
                    }
                }
            });
            // usage reports for its nodes only, and the batch pool advertised
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 0; i < 3; i++) {
                    NodeUsage nu = admin.resources(NodeUsage.class)
                            .withName("sim-" + i)
                            .get();
                    assertThat(nu).isNotNull();
                    NodeUsageStatus s = nu.getStatus();
                    assertThat(s.getTiers().get("prod").getCpuMilli()).isEqualTo(2_000);
                    assertThat(s.getPods()).hasSize(4);
                    Map<String, Quantity> alloc =
                            admin.nodes().withName("sim-" + i).get().getStatus().getAllocatable();
                    assertThat(alloc.get(ResourceNames.BATCH_CPU)).isEqualTo(new Quantity("6000"));
                }
                assertThat(admin.resources(NodeUsage.class).withName("not-sim").get())
                        .isNull();
            });
            // a deleted pod (graceful, as a user deletes) is finalised by the simulator
            admin.pods().inNamespace(ns).withName("sim-0-p0").delete();
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            admin.pods().inNamespace(ns).withName("sim-0-p0").get() == null);
            assertThat(sim.simulator().writes.writeErrors.sum()).isZero();
            assertThat(sim.simulator().writes.podsFinalised.sum()).isEqualTo(1);
        } finally {
            cleanUp(admin, ns);
        }
    }

    /** Leaves nothing for the ITs after this one: its pods (pending ones would be scheduled there) and reports. */
    private static void cleanUp(KubernetesClient admin, String ns) {
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.resources(NodeUsage.class).delete();
    }
}
