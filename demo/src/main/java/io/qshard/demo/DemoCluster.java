package io.qshard.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.KubeletOptions;
import io.qshard.localcluster.LocalControlPlane;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster a demo runs on: a local control plane it starts (and stops on close), with optional real kubelet nodes
 * (started after it, stopped before it), or an existing cluster from a kubeconfig, from which {@link #close()} removes
 * the demo's nodes again. Not thread-safe.
 */
public final class DemoCluster implements AutoCloseable {
    /** Label on every node the demo registers. */
    public static final String DEMO_LABEL = "qshard.io/demo";

    private static final String USER_AGENT = "qshard-demo";

    private final LocalControlPlane controlPlane;
    private final KubeletNodes kubelets;
    private final KubernetesClient client;
    private final io.fabric8.kubernetes.client.Config config;

    private DemoCluster(
            LocalControlPlane controlPlane,
            KubeletNodes kubelets,
            KubernetesClient client,
            io.fabric8.kubernetes.client.Config config) {
        this.controlPlane = controlPlane;
        this.kubelets = kubelets;
        this.client = client;
        this.config = config;
    }

    /**
     * Starts etcd + kube-apiserver (+ controller-manager) on loopback, then {@code realNodes} kubelet nodes
     * ({@link KubeletOptions#defaults()}: 1000m / 3 GiB each); if the nodes do not start, the control plane is stopped.
     *
     * @throws io.qshard.localcluster.ControlPlaneException when the control plane or a kubelet node does not start
     */
    public static DemoCluster local(PrintStream out, boolean controllerManager, int realNodes) {
        out.println("Starting a local control plane (etcd + kube-apiserver "
                + io.qshard.localcluster.KubeBinaries.KUBERNETES_VERSION
                + (controllerManager ? " + kube-controller-manager" : "") + ") on loopback...");
        long t0 = System.nanoTime();
        LocalControlPlane cp =
                LocalControlPlane.start(ControlPlaneOptions.defaults().withControllerManager(controllerManager));
        out.printf("  up in %.1f s; kubeconfig: %s%n", (System.nanoTime() - t0) / 1e9, cp.kubeconfig());
        KubeletNodes kubelets = null;
        if (realNodes > 0) {
            out.printf(
                    "Starting %d real kubelet node(s) (kubelet %s + containerd)...%n",
                    realNodes, io.qshard.localcluster.KubeBinaries.KUBERNETES_VERSION);
            long t1 = System.nanoTime();
            try {
                kubelets = KubeletNodes.start(cp, KubeletOptions.defaults().withCount(realNodes));
            } catch (RuntimeException e) {
                cp.close();
                throw e;
            }
            KubeletNode first = kubelets.node(0);
            out.printf(
                    "  %d real kubelet node(s) Ready in %.1f s (%dm / %d MiB each): %s%n",
                    realNodes,
                    (System.nanoTime() - t1) / 1e9,
                    first.allocatableMilliCpu(),
                    first.allocatableMemoryBytes() >> 20,
                    String.join(", ", kubelets.names()));
        }
        return new DemoCluster(
                cp,
                kubelets,
                KubeClients.forControlPlane(cp, USER_AGENT),
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()));
    }

    /** Uses the cluster of an existing kubeconfig; fails fast with one line if it is missing or unreachable. */
    public static DemoCluster external(Path kubeconfig) {
        KubeconfigResolver.Resolved resolved = KubeconfigResolver.resolve(kubeconfig);
        return new DemoCluster(null, null, ApiserverConnection.open(resolved, USER_AGENT), resolved.config());
    }

    public KubernetesClient client() {
        return client;
    }

    /** The cluster's client configuration, for the demo's components' own clients. */
    public io.fabric8.kubernetes.client.Config config() {
        return config;
    }

    /** The real kubelet nodes, in index order; empty without {@code --real-nodes}. */
    public List<KubeletNode> realNodes() {
        return kubelets == null ? List.of() : kubelets.nodes();
    }

    /** Whether this demo started (and will stop) its own control plane. */
    public boolean isLocal() {
        return controlPlane != null;
    }

    @Override
    public void close() {
        try {
            if (controlPlane == null) { // an existing cluster: take back everything the demo made
                client.apps().deployments().inNamespace(DemoWorkload.NAMESPACE).delete();
                client.pods()
                        .inNamespace(DemoWorkload.NAMESPACE)
                        .withGracePeriod(0)
                        .delete();
                client.namespaces().withName(DemoWorkload.NAMESPACE).delete();
                if (client.supports(io.qshard.kube.api.NodeUsage.class)) {
                    client.resources(io.qshard.kube.api.NodeUsage.class).list().getItems().stream()
                            .filter(u -> u.getMetadata().getName().startsWith("demo-node-"))
                            .forEach(u -> client.resource(u).delete());
                }
                if (client.supports(io.qshard.kube.api.ShardMap.class)) {
                    client.resources(io.qshard.kube.api.ShardMap.class)
                            .withName("batch")
                            .delete();
                }
                client.nodes().withLabel(DEMO_LABEL).delete();
            }
            client.close();
        } finally {
            try {
                if (kubelets != null) {
                    kubelets.close(); // deletes their pods while the apiserver still answers, then sweeps the host
                }
            } finally {
                if (controlPlane != null) {
                    controlPlane.close();
                }
            }
        }
    }
}
