package io.qshard.kubeletit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.fixtures.KubeletPods;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real kubelet nodes themselves: they register and are Ready with the split allocatable, run pods in cgroups
 * under their own cgroup root, enforce admission (cpu and an extended resource), keep their runtimes apart, and
 * leave no trace on the host outside their private mount namespaces (compared with the host before they started).
 * Pods are bound directly ({@code spec.nodeName}), no scheduler: only the kubelet decides.
 */
@RealControlPlane(kubeletNodes = 2)
class KubeletNodesIT {
    private static final Duration RUNNING = Duration.ofSeconds(60);
    private static final String FOO = "example.com/foo";

    private final KubernetesClient client;
    private final KubeletNodes nodes;
    private String ns;

    KubeletNodesIT(KubernetesClient client, KubeletNodes nodes) {
        this.client = client;
        this.nodes = nodes;
    }

    @BeforeEach
    void cleanNodes() {
        nodes.reset(client);
        ns = Namespaces.fresh(client, "kl");
    }

    @Test
    void nodesRegisterReadyWithTheSplitAllocatableAndRunAPodInTheirCgroup() throws IOException {
        assertThat(nodes.nodes()).hasSize(2);
        for (KubeletNode n : nodes.nodes()) {
            Node node = client.nodes().withName(n.name()).get();
            assertThat(node.getMetadata().getLabels())
                    .containsEntry(KubeletNodes.NODE_LABEL, "true")
                    .containsEntry(KubeletNodes.RUN_LABEL, nodes.runId());
            assertThat(node.getStatus().getConditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            assertThat(Quantity.getAmountInBytes(
                                    node.getStatus().getAllocatable().get("cpu"))
                            .doubleValue())
                    .isEqualTo(1.0);
            assertThat(n.allocatableMilliCpu()).isEqualTo(1000);
            assertThat(n.allocatableMemoryBytes()).isEqualTo(3L << 30);
        }
        KubeletNode n1 = nodes.node(0);
        client.resource(PodFixture.pod("idle")
                        .namespace(ns)
                        .onKubelet()
                        .cpuMilli(100)
                        .nodeName(n1.name())
                        .build())
                .create();
        Pod pod = KubeletPods.awaitRunning(client, ns, "idle", RUNNING);

        Path cgroup = KubeletPods.podCgroup(n1, pod, "cpu");
        assertThat(cgroup.toString()).startsWith("/sys/fs/cgroup/cpu/" + n1.cgroupParent() + "/kubepods/pod");
        assertThat(Files.readString(cgroup.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("10000");
    }

    @Test
    void theKubeletRefusesWhatDoesNotFitItsAllocatable() {
        KubeletNode n1 = nodes.node(0);
        client.resource(PodFixture.pod("big")
                        .namespace(ns)
                        .onKubelet()
                        .cpuMilli(900)
                        .nodeName(n1.name())
                        .build())
                .create();
        KubeletPods.awaitRunning(client, ns, "big", RUNNING);
        client.resource(PodFixture.pod("extra")
                        .namespace(ns)
                        .onKubelet()
                        .cpuMilli(200)
                        .nodeName(n1.name())
                        .build())
                .create();
        await().atMost(RUNNING)
                .untilAsserted(() -> assertThat(KubeletPods.admissionFailure(pod("extra")))
                        .hasValueSatisfying(f -> assertThat(f).startsWith("OutOfcpu")));

        KubeletNode n2 = nodes.node(1);
        patchFoo(n2, "add", "4");
        try {
            client.resource(withFoo(
                            PodFixture.pod("foo-3")
                                    .namespace(ns)
                                    .onKubelet()
                                    .nodeName(n2.name())
                                    .build(),
                            3))
                    .create();
            KubeletPods.awaitRunning(client, ns, "foo-3", RUNNING);
            client.resource(withFoo(
                            PodFixture.pod("foo-2")
                                    .namespace(ns)
                                    .onKubelet()
                                    .nodeName(n2.name())
                                    .build(),
                            2))
                    .create();
            await().atMost(RUNNING)
                    .untilAsserted(() -> assertThat(KubeletPods.admissionFailure(pod("foo-2")))
                            .hasValueSatisfying(f -> assertThat(f).startsWith("OutOf" + FOO)));
            assertThat(KubeletPods.running(pod("foo-3"))).isTrue();
        } finally {
            client.pods().inNamespace(ns).withGracePeriod(0).delete();
            patchFoo(n2, "remove", null);
        }
    }

    @Test
    void eachNodeRunsItsOwnPodsWithItsOwnRuntime() throws IOException {
        List<KubeletNode> all = nodes.nodes();
        for (int i = 0; i < all.size(); i++) {
            client.resource(PodFixture.pod("own-" + i)
                            .namespace(ns)
                            .onKubelet()
                            .nodeName(all.get(i).name())
                            .build())
                    .create();
        }
        for (int i = 0; i < all.size(); i++) {
            Pod pod = KubeletPods.awaitRunning(client, ns, "own-" + i, RUNNING);
            assertThat(KubeletPods.podCgroup(all.get(i), pod, "cpu")).isDirectory();
            assertThat(KubeletPods.podCgroup(all.get(1 - i), pod, "cpu")).doesNotExist();
        }
        // The kubelets' housekeeping (every 2 s) would kill pods it sees in its runtime but not in its pod list (its
        // "Killing unwanted pod" is logged only at --v=2): the pods' containers would then be replaced
        List<String> containers = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            containers.add(
                    pod("own-" + i).getStatus().getContainerStatuses().get(0).getContainerID());
        }
        assertThat(containers).doesNotContainNull().doesNotHaveDuplicates();
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < all.size(); i++) {
                Pod p = pod("own-" + i);
                assertThat(KubeletPods.running(p)).as("own-%d running", i).isTrue();
                ContainerStatus c = p.getStatus().getContainerStatuses().get(0);
                assertThat(c.getRestartCount()).as("own-%d restarts", i).isZero();
                assertThat(c.getContainerID()).as("own-%d container", i).isEqualTo(containers.get(i));
            }
        });
    }

    @Test
    void nothingTheKubeletsWriteReachesTheHost() throws IOException {
        KubeletNode n1 = nodes.node(0);
        client.resource(PodFixture.pod("trace")
                        .namespace(ns)
                        .onKubelet()
                        .nodeName(n1.name())
                        .build())
                .create();
        Pod pod = KubeletPods.awaitRunning(client, ns, "trace", RUNNING);

        Path inNamespace = Path.of("/proc", Long.toString(n1.containerdPid()), "root");
        try (var logs = Files.list(inNamespace.resolve("var/log/pods"))) {
            assertThat(logs.map(p -> p.getFileName().toString()))
                    .as("the pod's log directory exists inside the node's mount namespace")
                    .anyMatch(d -> d.contains(pod.getMetadata().getUid()));
        }
        // Compared with what the host had before the nodes started (a host's own containerd or kubelet may own some)
        Map<String, String> before = new HashMap<>();
        for (String line : Files.readAllLines(nodes.runDirectory().resolve("host-paths-baseline"))) {
            String[] kv = line.split("=", 2);
            before.put(kv[0], kv[1]);
        }
        String container =
                pod.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst(".*://", "");
        List<String> ours = List.of(pod.getMetadata().getUid(), ns, container);
        assertThat(KubeletNodes.HOST_PATHS).contains("/var/lib/kubelet", "/run/containerd", "/var/log/pods");
        for (String hostPath : KubeletNodes.HOST_PATHS) {
            assertThat(before).as("baseline").containsKey(hostPath);
            if (before.get(hostPath).equals("absent")) {
                assertThat(Path.of(hostPath)).as("host path").doesNotExist();
            } else {
                assertThat(names(Path.of(hostPath), 4))
                        .as("names under the host's own %s", hostPath)
                        .noneMatch(name -> ours.stream().anyMatch(name::contains));
            }
        }
        for (String line : Files.readAllLines(nodes.runDirectory().resolve("sysctl-baseline"))) {
            String[] kv = line.split("=", 2);
            assertThat(Files.readString(Path.of("/proc/sys", kv[0])).trim())
                    .as("host sysctl %s", kv[0])
                    .isEqualTo(kv[1]);
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo")))
                .doesNotContain(nodes.runDirectory().toString());
    }

    /** Every file name under {@code dir} down to {@code depth} levels (entries vanishing meanwhile are skipped). */
    private static List<String> names(Path dir, int depth) {
        List<String> names = new ArrayList<>();
        if (depth == 0 || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : entries.toList()) {
                names.add(e.getFileName().toString());
                names.addAll(names(e, depth - 1));
            }
        } catch (IOException | UncheckedIOException e) {
            // removed meanwhile by the host's own daemon
        }
        return names;
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(ns).withName(name).get();
    }

    private static Pod withFoo(Pod pod, int count) {
        var resources = pod.getSpec().getContainers().get(0).getResources();
        resources.getRequests().put(FOO, new Quantity(Integer.toString(count)));
        resources.getLimits().put(FOO, new Quantity(Integer.toString(count)));
        return pod;
    }

    /** Capacity and allocatable together: allocatable alone would follow only at the kubelet's next sync. */
    private void patchFoo(KubeletNode n, String op, String value) {
        String v = value == null ? "" : ",\"value\":\"" + value + "\"";
        client.nodes()
                .withName(n.name())
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"" + op + "\",\"path\":\"/status/capacity/example.com~1foo\"" + v + "},"
                                + "{\"op\":\"" + op + "\",\"path\":\"/status/allocatable/example.com~1foo\"" + v
                                + "}]");
    }
}
