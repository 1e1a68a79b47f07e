package io.qshard.shard.demo;

import java.io.PrintStream;
import java.nio.file.Path;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.shard.kube.ApiserverConnection;
import io.qshard.shard.kube.KubeconfigResolver;

/**
 * The cluster a demo runs on: a local control plane it starts (and stops on close), or an existing cluster
 * from a kubeconfig, from which {@link #close()} removes the demo's nodes again.
 */
public final class DemoCluster implements AutoCloseable {
    /** Label on every node the demo registers. */
    public static final String DEMO_LABEL = "qshard.io/demo";
    private static final String USER_AGENT = "qshard-demo";

    private final LocalControlPlane controlPlane;
    private final KubernetesClient client;

    private DemoCluster(LocalControlPlane controlPlane, KubernetesClient client) {
        this.controlPlane = controlPlane;
        this.client = client;
    }

    /** Starts etcd + kube-apiserver (+ controller-manager) on loopback. */
    public static DemoCluster local(PrintStream out, boolean controllerManager) {
        out.println("Starting a local control plane (etcd + kube-apiserver " + io.qshard.localcluster.KubeBinaries.KUBERNETES_VERSION
                + (controllerManager ? " + kube-controller-manager" : "") + ") on loopback...");
        long t0 = System.nanoTime();
        LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.defaults().withControllerManager(controllerManager));
        out.printf("  up in %.1f s; kubeconfig: %s%n", (System.nanoTime() - t0) / 1e9, cp.kubeconfig());
        return new DemoCluster(cp, KubeClients.forControlPlane(cp, USER_AGENT));
    }

    /** Uses the cluster of an existing kubeconfig; fails fast with one line if it is missing or unreachable. */
    public static DemoCluster external(Path kubeconfig) {
        return new DemoCluster(null, ApiserverConnection.open(KubeconfigResolver.resolve(kubeconfig), USER_AGENT));
    }

    public KubernetesClient client() {
        return client;
    }

    /** Whether this demo started (and will stop) its own control plane. */
    public boolean isLocal() {
        return controlPlane != null;
    }

    @Override
    public void close() {
        try {
            if (controlPlane == null) {
                client.nodes().withLabel(DEMO_LABEL).delete();
            }
            client.close();
        } finally {
            if (controlPlane != null) {
                controlPlane.close();
            }
        }
    }
}
