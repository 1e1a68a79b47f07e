package io.qshard.localcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts kubelet nodes back into their state after start, between test classes (plan §3.6). Stateless. */
final class KubeletReset {
    /** Labels, annotations and status resources the ITs put on kubelet nodes. */
    static final List<String> LABELS = List.of("qshard.io/oversale");

    static final List<String> ANNOTATIONS = List.of(
            "qshard.io/cpu-oversale-ratio",
            "qshard.io/memory-oversale-ratio",
            "qshard.io/oversale-applied",
            "qshard.io/oversale-scaled");
    static final List<String> STATUS_RESOURCES = List.of("qshard.io/batch-cpu", "qshard.io/batch-memory");
    private static final Logger LOG = LoggerFactory.getLogger(KubeletReset.class);

    private KubeletReset() {}

    static void reset(KubernetesClient client, List<KubeletNode> nodes) {
        long t0 = System.nanoTime();
        if (!deletePods(client, nodes, Duration.ofSeconds(30))) {
            throw new ControlPlaneException(
                    "kubelet node reset: pod cgroups still present 30 s after deleting the pods: "
                            + nodes.stream()
                                    .flatMap(n -> podCgroups(n).stream())
                                    .toList());
        }
        for (KubeletNode n : nodes) {
            Node node = client.nodes().withName(n.name()).get();
            if (node == null) {
                continue;
            }
            List<String> ops = new ArrayList<>();
            Map<String, String> labels = node.getMetadata().getLabels();
            Map<String, String> annotations = node.getMetadata().getAnnotations();
            for (String l : LABELS) {
                if (labels != null && labels.containsKey(l)) {
                    ops.add(remove("/metadata/labels/" + escape(l)));
                }
            }
            for (String a : ANNOTATIONS) {
                if (annotations != null && annotations.containsKey(a)) {
                    ops.add(remove("/metadata/annotations/" + escape(a)));
                }
            }
            if (node.getSpec().getTaints() != null
                    && !node.getSpec().getTaints().isEmpty()) {
                ops.add(remove("/spec/taints"));
            }
            if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
                ops.add("{\"op\":\"replace\",\"path\":\"/spec/unschedulable\",\"value\":false}");
            }
            if (!ops.isEmpty()) {
                client.nodes()
                        .withName(n.name())
                        .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", ops) + "]");
            }
            List<String> statusOps = new ArrayList<>();
            for (String r : STATUS_RESOURCES) {
                for (String field : List.of("capacity", "allocatable")) {
                    Map<String, ?> m = "capacity".equals(field)
                            ? node.getStatus().getCapacity()
                            : node.getStatus().getAllocatable();
                    if (m != null && m.containsKey(r)) {
                        statusOps.add(remove("/status/" + field + "/" + escape(r)));
                    }
                }
            }
            if (!statusOps.isEmpty()) {
                client.nodes()
                        .withName(n.name())
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", statusOps) + "]");
            }
            try {
                client.genericKubernetesResources("qshard.io/v1alpha1", "NodeUsage")
                        .withName(n.name())
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.debug("no NodeUsage to delete for {}: {}", n.name(), e.getMessage());
            }
        }
        client.admissionRegistration()
                .v1()
                .mutatingWebhookConfigurations()
                .withLabel("qshard.io/it", "true")
                .delete();
        nodes.forEach(KubeletRestore::liftQosLimits);
        KubeletRestore.awaitOwnAllocatable(client, nodes, Duration.ofSeconds(60));
        LOG.info("kubelet nodes reset in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Force-deletes (grace 0) every pod bound to the nodes and waits, up to {@code timeout}, until no pod cgroup is
     * left under the nodes' {@code kubepods} (cpu hierarchy): the kubelets stopped the containers.
     *
     * @return whether the pod cgroups are gone (false: still there after {@code timeout}, logged)
     */
    static boolean deletePods(KubernetesClient client, List<KubeletNode> nodes, Duration timeout) {
        for (KubeletNode n : nodes) {
            try {
                client.pods()
                        .inAnyNamespace()
                        .withField("spec.nodeName", n.name())
                        .withGracePeriod(0)
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.warn("cannot delete the pods of {}: {}", n.name(), e.getMessage());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.stream().allMatch(n -> podCgroups(n).isEmpty())) {
                return true;
            }
            if (!pause(100)) {
                return false;
            }
        }
        LOG.warn(
                "pod cgroups still present after {}: {}",
                timeout,
                nodes.stream().flatMap(n -> podCgroups(n).stream()).toList());
        return false;
    }

    /** Polling the kubelets; false when interrupted (the flag is kept). */
    static boolean pause(long millis) {
        try {
            Thread.sleep(millis); // polling the kubelets' cgroup cleanup and status updates
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The {@code pod*} cgroups of a node (Guaranteed, Burstable, BestEffort) in the cpu hierarchy. */
    static List<Path> podCgroups(KubeletNode n) {
        List<Path> pods = new ArrayList<>();
        Path kubepods = n.kubepodsCgroup("cpu");
        for (Path dir : List.of(kubepods, kubepods.resolve("burstable"), kubepods.resolve("besteffort"))) {
            File[] children =
                    dir.toFile().listFiles(f -> f.isDirectory() && f.getName().startsWith("pod"));
            if (children != null) {
                for (File c : children) {
                    pods.add(c.toPath());
                }
            }
        }
        return pods;
    }

    private static String remove(String path) {
        return "{\"op\":\"remove\",\"path\":\"" + path + "\"}";
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
