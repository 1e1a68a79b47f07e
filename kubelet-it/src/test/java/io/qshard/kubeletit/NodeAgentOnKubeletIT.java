package io.qshard.kubeletit;

import static io.qshard.kubeletit.support.AgentOnNode.cgroupFile;
import static io.qshard.kubeletit.support.AgentOnNode.quotaMilli;
import static io.qshard.kubeletit.support.AgentOnNode.throttled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.PodUsage;
import io.qshard.kube.api.UsageAmount;
import io.qshard.kubeletit.support.AgentOnNode;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.KubeletPods;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The node agent on the cgroups a real kubelet (1.20, cgroup v1, cgroupfs) created for real pods on node 1: it finds
 * them and reports them in its NodeUsage, lowers the {@code kubepods/burstable} quota as prod's usage rises (never below
 * the largest quota under it nor a bound burstable pod's cpu limit: cgroup v1 refuses less, risk R5), squeezes and
 * idles the besteffort box, and evicts the box's pods. Assertions are on cgroup files, {@code cpu.stat} counters,
 * NodeUsage, pod state and the agent's counters — never on a measured cpu rate.
 *
 * <p>Arithmetic (node 1000m; pools peakCap 40 % = 400m, margin 5 % = 50m, so the busy loops stay ≤ 0.6 core in all;
 * protected P = node − burstable − besteffort usage; burstable = max(Σ burstable requests, 400 − P − 50); box =
 * max(0, 400 − P − burstable usage − 50), at least the kernel's 10m):
 * <ul>
 *   <li>A: {@code prod-a} Guaranteed 100m busy, {@code mid-b} 50m no limit busy, {@code mid-c} 50m limit 200m idle,
 *       {@code batch-e} batch-cpu 100 busy: P ≈ 100 → burstable = max(100, 250) = 250m ≥ mid-c's 200m; mid-b runs
 *       into it (throttled), so the box ≈ 400 − 100 − 250 − 50 = 0 → 10m;</li>
 *   <li>B: {@code prod-f} Guaranteed 200m busy: P ≈ 300 → max(100, 50) = 100m, below mid-c's 20000 µs → 200m (the
 *       clamp); {@code mid-g} 50m limit 300m is bound: 300m at once (its limit, from the API, before its cgroups
 *       exist);</li>
 *   <li>C: an agent evicting below 1000m after 4 s: the box is always below, so {@code batch-e} is evicted.</li>
 * </ul>
 */
@RealControlPlane(kubeletNodes = 2)
class NodeAgentOnKubeletIT {
    private static final Duration RUNNING = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final QshardConfig CONFIG = AgentOnNode.config(0.40, 0.05);
    private static final long PEAK = 400;
    private static final long MARGIN = 50;
    /** The burstable parent's cpu.shares the kubelet writes for mid-b + mid-c (100m): 100 × 1024 / 1000. */
    private static final long BURSTABLE_SHARES = 102;

    /** The kubelet's QoS update failures logged before this class started (the kubelet set is shared). */
    private static long qosFailuresBefore;

    @Test
    void theAgentFindsThrottlesAndEvictsThePodsOfARealKubelet(
            KubernetesClient admin, LocalControlPlane cp, KubeletNodes nodes) throws Exception {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
        String ns = Namespaces.fresh(admin, "agent-kl");
        KubeletNode node = nodes.node(0);
        Path burstable = node.kubepodsCgroup("cpu").resolve("burstable");
        Path besteffort = node.kubepodsCgroup("cpu").resolve("besteffort");
        String sharesBefore = cgroupFile(besteffort, "cpu.shares");
        String idleBefore = cgroupFile(besteffort, "cpu.idle");
        qosFailuresBefore = qosFailures(node);
        try {
            Path batchCgroup;
            AgentOnNode a = AgentOnNode.start(cp, node, CONFIG, 0, Duration.ZERO);
            try {
                // the kubelet admits batch-e only once the agent advertised the batch pool
                await().atMost(SETTLE).until(() -> a.advertisedBatchCpu(32L << 20) >= 100);
                Pod batchE = run(
                        admin,
                        node,
                        onKubelet("batch-e").tier("batch").cpuMilli(100).busyLoop(),
                        ns);
                batchCgroup = KubeletPods.podCgroup(node, batchE, "cpu");
                run(admin, node, onKubelet("prod-a").tier("prod").cpuMilli(100).busyLoop(), ns);
                run(admin, node, onKubelet("mid-b").tier("mid").cpuMilli(50).busyLoop(), ns);
                Pod midC = run(
                        admin, node, onKubelet("mid-c").tier("mid").cpuMilli(50).cpuLimitMilli(200), ns);
                assertThat(cgroupFile(KubeletPods.podCgroup(node, midC, "cpu"), "cpu.cfs_quota_us"))
                        .as("the kubelet's pod-level quota of mid-c")
                        .isEqualTo("20000");
                phaseA(admin, node, a, ns, burstable, besteffort);
                phaseB(admin, node, a, ns, burstable);
            } finally {
                a.close(); // lifts the isolation: phase C's agent starts from the kubelet's settings
            }

            try (AgentOnNode c = AgentOnNode.start(cp, node, CONFIG, 1_000, Duration.ofSeconds(4))) {
                await().atMost(SETTLE).until(() -> pod(admin, ns, "batch-e") == null);
                await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(batchCgroup));
                assertThat(c.agent().metrics().boxEvictions.sum()).isGreaterThanOrEqualTo(1);
                for (String name : List.of("prod-a", "prod-f", "mid-b", "mid-c", "mid-g")) {
                    Pod p = pod(admin, ns, name);
                    assertThat(KubeletPods.running(p))
                            .as(name + " still running")
                            .isTrue();
                    assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount())
                            .as(name + " never restarted")
                            .isZero();
                }
                assertThat(c.agent().files().writeErrors.sum()).isZero();
            }
            assertThat(cgroupFile(burstable, "cpu.cfs_quota_us"))
                    .as("isolation lifted")
                    .isEqualTo("-1");
            assertThat(cgroupFile(besteffort, "cpu.cfs_quota_us")).isEqualTo("-1");
            assertThat(cgroupFile(besteffort, "cpu.idle")).isEqualTo(idleBefore);
            assertThat(cgroupFile(besteffort, "cpu.shares"))
                    .as("the kubelet's value")
                    .isEqualTo(sharesBefore);
        } finally {
            admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        }
    }

    /** The four pods in the NodeUsage; the policy's burstable quota, throttling it; the idle besteffort box. */
    private static void phaseA(
            KubernetesClient admin, KubeletNode node, AgentOnNode a, String ns, Path burstable, Path besteffort)
            throws IOException {
        Map<String, String> uids = uids(admin, ns);
        await().atMost(SETTLE).untilAsserted(() -> {
            NodeUsageStatus s = usage(admin, node);
            Map<String, PodUsage> pods =
                    s.getPods().stream().collect(Collectors.toMap(PodUsage::getUid, Function.identity()));
            assertThat(pods).containsKeys(uids.values().toArray(String[]::new));
            assertThat(pods.get(uids.get("prod-a")).getTier()).isEqualTo("prod");
            assertThat(pods.get(uids.get("mid-b")).getTier()).isEqualTo("mid");
            assertThat(pods.get(uids.get("mid-c")).getTier()).isEqualTo("mid");
            assertThat(pods.get(uids.get("batch-e")).getTier()).isEqualTo("batch");
            long prodA = pods.get(uids.get("prod-a")).getCpuMilli();
            assertThat(prodA).as("prod-a under its own 100m quota").isBetween(1L, 130L);
            assertThat(s.getNode().getCpuMilli()).isGreaterThanOrEqualTo(prodA);
            uids.values()
                    .forEach(uid -> assertThat(pods.get(uid).getMemoryBytes()).isPositive());
        });
        // the policy's quotas, from the protected and burstable usage the agent reported (± 60m: the report's
        // window is 2 s, the isolation's 0.5 s)
        await().atMost(SETTLE).untilAsserted(() -> {
            NodeUsageStatus s = usage(admin, node);
            long protectedMilli = s.getNode().getCpuMilli() - tier(s, "mid") - tier(s, "batch") - tier(s, "free");
            long quota = quotaMilli(burstable);
            assertThat(quota).isCloseTo(Math.max(100, PEAK - protectedMilli - MARGIN), Offset.offset(60L));
            assertThat(quota).isEqualTo(a.agent().metrics().burstableQuotaMilli.get());
            long box = Math.max(10, PEAK - protectedMilli - tier(s, "mid") - MARGIN);
            assertThat(quotaMilli(besteffort)).isCloseTo(box, Offset.offset(60L));
            assertThat(quotaMilli(besteffort))
                    .isEqualTo(a.agent().metrics().besteffortBoxMilli.get());
        });
        assertThat(cgroupFile(besteffort, "cpu.shares")).as("the lowest weight").isEqualTo("2");
        assertThat(cgroupFile(besteffort, "cpu.idle"))
                .as("never idle: the kernel would refuse the kubelet's cpu.shares writes (R6)")
                .isEqualTo("0");
        long throttled = throttled(burstable);
        await().atMost(SETTLE).until(() -> throttled(burstable) > throttled);
        assertThat(a.agent().files().writeErrors.sum()).isZero();

        // R6: the kubelet keeps writing the QoS parents' weights; with cpu.idle = 1 (what the agent once set) the
        // kernel
        // refused them (EINVAL), the kubelet's QoS update stopped there and the burstable parent's shares went stale.
        // Now a new BestEffort pod starts, the burstable shares follow Σ burstable requests (mid-b 50m + mid-c 50m
        // = 100m → 100 × 1024 / 1000 = 102, the kubelet's MilliCPUToShares) and the kubelet logs no QoS failure
        PodFixture late = PodFixture.pod("be-late").tier("batch");
        Pod bestEffort = late.namespace(ns).onKubelet().nodeName(node.name()).build();
        bestEffort.getSpec().getContainers().get(0).setResources(new ResourceRequirements());
        admin.resource(bestEffort).create();
        Pod running = KubeletPods.awaitRunning(admin, ns, "be-late", RUNNING);
        assertThat(running.getStatus().getQosClass()).isEqualTo("BestEffort");
        admin.pods().inNamespace(ns).withName("be-late").withGracePeriod(0).delete();
        await().atMost(SETTLE).until(() -> cgroupFile(burstable, "cpu.shares").equals(Long.toString(BURSTABLE_SHARES)));
        assertThat(qosFailures(node))
                .as("the kubelet's QoS updates all succeed while the agent runs")
                .isEqualTo(qosFailuresBefore);
    }

    /** prod rises: the quota falls to mid-c's 200m and no further; a pod with a higher limit still starts. */
    private static void phaseB(KubernetesClient admin, KubeletNode node, AgentOnNode a, String ns, Path burstable)
            throws IOException {
        long quotaA = quotaMilli(burstable);
        run(admin, node, onKubelet("prod-f").tier("prod").cpuMilli(200).busyLoop(), ns);
        await().atMost(SETTLE).until(() -> quotaMilli(burstable) == 200);
        assertThat(quotaMilli(burstable)).as("fell versus phase A").isLessThan(quotaA);
        assertThatThrownBy(() -> Files.writeString(burstable.resolve("cpu.cfs_quota_us"), "15000"))
                .as("cgroup v1 refuses a parent quota below mid-c's 20000 µs")
                .isInstanceOf(IOException.class);
        assertThat(cgroupFile(burstable, "cpu.cfs_quota_us")).isEqualTo("20000");
        assertThat(a.agent().files().writeErrors.sum())
                .as("the agent never wrote a quota the kernel refuses")
                .isZero();

        // mid-g's 300m limit is above the 200m in force: the agent raises the parent at once when it sees the pod bound
        // (its limit from the API, before any cgroup of it exists), so its container runs under its own quota and is
        // never restarted (phase C). Without that raise the container could not start; were the kubelet to create
        // the pod's cgroup in the millisecond before it, it would log the EINVAL and run the pod without a pod-level
        // quota (printed).
        Pod midG = run(admin, node, onKubelet("mid-g").tier("mid").cpuMilli(50).cpuLimitMilli(300), ns);
        Path g = KubeletPods.podCgroup(node, midG, "cpu");
        List<String> containerQuotas;
        try (Stream<Path> children = Files.list(g)) {
            containerQuotas = children.filter(Files::isDirectory)
                    .map(d -> readUnchecked(d, "cpu.cfs_quota_us"))
                    .toList();
        }
        assertThat(containerQuotas).as("mid-g's container under its own 300m").contains("30000");
        System.out.printf(
                "R5: mid-g's pod-level quota %s (-1: the kubelet created its cgroup before the agent's raise)%n",
                cgroupFile(g, "cpu.cfs_quota_us"));
        assertThat(quotaMilli(burstable)).isGreaterThanOrEqualTo(300);
        Pod midC = pod(admin, ns, "mid-c");
        assertThat(KubeletPods.running(midC)).isTrue();
        assertThat(midC.getStatus().getContainerStatuses().get(0).getRestartCount())
                .isZero();
        assertThat(a.agent().files().writeErrors.sum()).isZero();
    }

    /** A pod runnable on a kubelet node (call {@link PodFixture#busyLoop()} after this, it sets the command). */
    private static PodFixture onKubelet(String name) {
        return PodFixture.pod(name).onKubelet();
    }

    /** Binds the pod to the node (no scheduler: only the kubelet admits it) and waits until it runs. */
    private static Pod run(KubernetesClient admin, KubeletNode node, PodFixture fixture, String ns) {
        Pod p = fixture.namespace(ns).memoryMi(32).nodeName(node.name()).build();
        admin.resource(p).create();
        return KubeletPods.awaitRunning(admin, ns, p.getMetadata().getName(), RUNNING);
    }

    private static Pod pod(KubernetesClient admin, String ns, String name) {
        return admin.pods().inNamespace(ns).withName(name).get();
    }

    private static Map<String, String> uids(KubernetesClient admin, String ns) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .collect(Collectors.toMap(
                        p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    private static NodeUsageStatus usage(KubernetesClient admin, KubeletNode node) {
        NodeUsage u = admin.resources(NodeUsage.class).withName(node.name()).get();
        assertThat(u).as("NodeUsage of " + node.name()).isNotNull();
        assertThat(u.getStatus()).isNotNull();
        return u.getStatus();
    }

    private static long tier(NodeUsageStatus s, String tier) {
        UsageAmount amount = s.getTiers().get(tier);
        return amount == null || amount.getCpuMilli() == null ? 0 : amount.getCpuMilli();
    }

    private static String readUnchecked(Path cgroup, String file) {
        try {
            return cgroupFile(cgroup, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long qosFailures(KubeletNode node) throws IOException {
        return Files.readAllLines(node.kubeletLog()).stream()
                .filter(l -> l.contains("Failed to update QoS cgroup"))
                .count();
    }
}
