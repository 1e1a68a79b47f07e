package io.qshard.localcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local control plane in the foreground until stdin closes or the process gets SIGINT/SIGTERM.
 * Prints {@code kubeconfig=<path>}, {@code run-dir=<path>} and one {@code pid <component>=<pid>} line per
 * component, then {@code ready}. Flags: {@code --controller-manager}; {@code --kubelet-nodes N} adds N real kubelet
 * nodes (root only) and prints {@code kubelet-run-dir=<path>} and one {@code kubelet-pid <node>/<daemon>=<pid>} line
 * per daemon; {@code --busy-pod} then runs a busy-loop pod on the first of them and prints
 * {@code busy-pod-uid=<uid>} once it is Running.
 */
public final class LocalClusterMain {
    private LocalClusterMain() {}

    public static void main(String[] args) throws IOException {
        List<String> argv = Arrays.asList(args);
        boolean kcm = argv.contains("--controller-manager");
        int kubeletNodes = 0;
        int at = argv.indexOf("--kubelet-nodes");
        if (at >= 0) {
            try {
                kubeletNodes = Integer.parseInt(argv.get(at + 1));
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                System.err.println(
                        "error: --kubelet-nodes needs a number of nodes (1.." + KubeletNodes.MAX_NODES + ")");
                System.exit(2);
                return;
            }
        }
        boolean busyPod = argv.contains("--busy-pod");
        LocalControlPlane cp;
        KubeletNodes nodes = null;
        try {
            cp = LocalControlPlane.start(ControlPlaneOptions.defaults().withControllerManager(kcm));
            if (kubeletNodes > 0) {
                nodes = KubeletNodes.start(cp, KubeletOptions.defaults().withCount(kubeletNodes));
            }
        } catch (ControlPlaneException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("kubeconfig=" + cp.kubeconfig());
        System.out.println("run-dir=" + cp.runDirectory());
        for (Map.Entry<String, Long> e : cp.pids().entrySet()) {
            System.out.println("pid " + e.getKey() + "=" + e.getValue());
        }
        if (nodes != null) {
            System.out.println("kubelet-run-dir=" + nodes.runDirectory());
            for (KubeletNode n : nodes.nodes()) {
                System.out.println("kubelet-pid " + n.name() + "/containerd=" + n.containerdPid());
                System.out.println("kubelet-pid " + n.name() + "/kubelet=" + n.kubeletPid());
            }
            if (busyPod) {
                try (KubernetesClient admin = KubeClients.forControlPlane(cp, "qshard-local-cluster-main")) {
                    Pod running = busyPod(admin, nodes.node(0).name());
                    System.out.println("busy-pod-uid=" + running.getMetadata().getUid());
                }
            }
        }
        System.out.println("ready");
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // run until stdin closes; Ctrl-C / SIGTERM go through the shutdown hooks
        }
        if (nodes != null) {
            nodes.close();
        }
        cp.close();
    }

    /**
     * One Guaranteed pod (100m) running a busy loop on {@code node}, bound directly, Running when this returns (what {@code KubeletCrashIT}
     * leaves behind). Built here rather than with the fixtures, which depend on this package.
     */
    private static Pod busyPod(KubernetesClient admin, String node) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("busy")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("busy")
                .withImage(KubeletNodes.IMAGE)
                .withImagePullPolicy("Never")
                .withCommand("/bin/sh", "-c", "trap 'exit 0' TERM; while :; do :; done")
                .withNewResources() // Guaranteed: its cgroup is kubepods/pod<uid>, where KubeletCrashIT looks
                .addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("cpu", new Quantity("100m"))
                .addToLimits("memory", new Quantity("32Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
        admin.resource(pod).create();
        return admin.pods()
                .inNamespace("default")
                .withName("busy")
                .waitUntilCondition(
                        p -> p != null
                                && p.getStatus() != null
                                && "Running".equals(p.getStatus().getPhase()),
                        60,
                        TimeUnit.SECONDS);
    }
}
