package io.qshard.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.CgroupLayout;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.QshardConfig;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The agent's isolation on this machine's real cgroup v1 cpu controller: a private subtree mimicking kubepods holds a
 * Guaranteed, a Burstable and a BestEffort pod cgroup, each running busy loops; the node (2 cores, as this machine)
 * and the pods exist in the real apiserver. The test raises and lowers the Guaranteed pod's load (its own cpu quota)
 * and measures what the other two actually get from the kernel's {@code cpuacct.usage}, not from the agent.
 *
 * <p>Arithmetic (peakCap = 0.85 × 2000 = 1700m, margin = 100m; node usage from the kubepods cgroup):
 * <ul>
 *   <li>Guaranteed at 300m: burstable quota = max(200 requested, 1700 − 300 − 100) = 1300m (its single loop takes ~a
 *       core); besteffort box = 1700 − 300 − ~1000 − 100 ≈ 300m;</li>
 *   <li>Guaranteed at 1200m: burstable quota = max(200, 1700 − 1200 − 100) = 400m; box = max(0, 1700 − 1200 − 400 − 100)
 *       = 0 → the kernel's minimum, 10m;</li>
 *   <li>back at 300m: as in the first phase.</li>
 * </ul>
 */
@RealControlPlane
class CgroupIsolationIT {
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @Test
    void burstableAndBesteffortBackOffWhenGuaranteedLoadRisesAndRecoverWhenItFalls(
            KubernetesClient admin, LocalControlPlane cp) throws Exception {
        assumeTrue(
                RealCgroups.available(),
                "needs writable cgroup v1 cpu, cpuacct and memory hierarchies (root on a v1 host)");
        String ns = Namespaces.fresh(admin, "agent-cgroups");
        admin.nodes()
                .resource(NodeFixture.node("agent-real").cpu("2").memory("8Gi").build())
                .create();
        Pod g = bound(
                admin,
                PodFixture.pod("g")
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(1000)
                        .memoryMi(256)
                        .build());
        Pod b = bound(
                admin,
                PodFixture.pod("b")
                        .namespace(ns)
                        .tier("mid")
                        .cpuMilli(200)
                        .memoryMi(256)
                        .build());
        Pod e = bound(
                admin,
                PodFixture.pod("e")
                        .namespace(ns)
                        .tier("batch")
                        .cpuMilli(500)
                        .memoryMi(256)
                        .build());

        String parent =
                "qshard-it-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        CgroupLayout layout = new CgroupLayout(CgroupDriver.CGROUPFS, parent);
        String gp = layout.pod(QosClass.GUARANTEED, g.getMetadata().getUid());
        String bp = layout.pod(QosClass.BURSTABLE, b.getMetadata().getUid());
        String ep = layout.pod(QosClass.BESTEFFORT, e.getMetadata().getUid());
        try (RealCgroups cg = new RealCgroups(parent)) {
            for (String c : new String[] {gp, bp, ep}) {
                cg.create(c);
            }
            cg.quota(gp, 300);
            cg.spin(gp);
            cg.spin(gp);
            cg.spin(bp);
            cg.spin(ep);
            AgentSettings settings = new AgentSettings(
                    "agent-real",
                    RealCgroups.ROOT,
                    parent,
                    "1",
                    CgroupDriver.CGROUPFS,
                    Path.of("/proc"),
                    UsageSampler.NodeSource.KUBEPODS,
                    Duration.ofSeconds(2),
                    Duration.ofMillis(500),
                    0.1,
                    1_000,
                    Duration.ofMinutes(10),
                    1.0,
                    false,
                    0,
                    QshardConfig.defaults());
            String burstable = layout.classParent(QosClass.BURSTABLE);
            String besteffort = layout.classParent(QosClass.BESTEFFORT);
            String sharesBefore = cg.cpuFile(besteffort, "cpu.shares");
            String idleBefore = cg.cpuFile(besteffort, "cpu.idle");
            try (KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                            io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                    cp.kubeconfig().toFile()),
                            "qshard-it-agent");
                    NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC())) {
                agent.start(Duration.ofSeconds(30));
                assertThat(cg.cpuFile(besteffort, "cpu.shares"))
                        .as("lowest weight")
                        .isEqualTo("2");
                assertThat(cg.cpuFile(besteffort, "cpu.idle"))
                        .as("never idle scheduling: the kernel would refuse the kubelet's weight writes")
                        .isEqualTo("0");

                // phase A: Guaranteed light
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> cg.quotaMilli(besteffort) > 0 && cg.quotaMilli(burstable) >= 1_000);
                long[] a = measure(cg, bp, ep);
                // phase B: Guaranteed rises to 1.2 cores
                cg.quota(gp, 1_200);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> cg.quotaMilli(burstable) <= 600 && cg.quotaMilli(besteffort) <= 20);
                long quotaBefore = cg.quotaMilli(burstable);
                long[] bb = measure(cg, bp, ep);
                // the agent re-tunes every tick: the bound is the highest quota in force during the window
                long burstableQuotaB = Math.max(quotaBefore, cg.quotaMilli(burstable));
                // phase C: Guaranteed falls back
                cg.quota(gp, 300);
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> cg.quotaMilli(burstable) >= 1_000 && cg.quotaMilli(besteffort) >= 100);
                long[] c = measure(cg, bp, ep);

                System.out.printf(
                        "measured burstable/besteffort m: light %d/%d, heavy %d/%d (burstable quota %dm), light again %d/%d%n",
                        a[0], a[1], bb[0], bb[1], burstableQuotaB, c[0], c[1]);
                assertThat(bb[0]).as("burstable under its lowered quota").isLessThanOrEqualTo(burstableQuotaB + 60);
                assertThat(bb[0]).as("burstable backs off").isLessThan(a[0] - 250);
                assertThat(bb[1]).as("besteffort at the kernel's minimum").isLessThanOrEqualTo(40);
                assertThat(bb[1]).as("besteffort backs off").isLessThan(a[1] - 100);
                assertThat(c[0]).as("burstable recovers").isGreaterThan(bb[0] + 250);
                assertThat(c[1]).as("besteffort recovers").isGreaterThan(bb[1] + 100);
                assertThat(agent.metrics().quotaChanges.sum()).isGreaterThanOrEqualTo(6);
            }
            // closing the agent lifted the isolation
            assertThat(cg.quotaMilli(burstable)).isEqualTo(-1);
            assertThat(cg.quotaMilli(besteffort)).isEqualTo(-1);
            assertThat(cg.cpuFile(besteffort, "cpu.idle")).isEqualTo(idleBefore);
            assertThat(cg.cpuFile(besteffort, "cpu.shares")).isEqualTo(sharesBefore);
        } finally {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
            admin.nodes().withName("agent-real").delete();
        }
    }

    /** cpu rates (milli-cores) of two cgroups over {@link #WINDOW}, from the kernel's cpuacct counters. */
    private static long[] measure(RealCgroups cg, String first, String second)
            throws IOException, InterruptedException {
        long f0 = cg.cpuNanos(first);
        long s0 = cg.cpuNanos(second);
        long t0 = System.nanoTime();
        Thread.sleep(WINDOW.toMillis()); // the measurement window itself, not a wait for a condition
        long dt = System.nanoTime() - t0;
        return new long[] {(cg.cpuNanos(first) - f0) * 1000 / dt, (cg.cpuNanos(second) - s0) * 1000 / dt};
    }

    private static Pod bound(KubernetesClient admin, Pod p) {
        p.getSpec().setNodeName("agent-real");
        return admin.resource(p).create();
    }
}
