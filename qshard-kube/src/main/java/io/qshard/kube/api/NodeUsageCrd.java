package io.qshard.kube.api;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Installs the {@code NodeUsage} CRD from {@code manifests/crds/nodeusage.yaml} (the demo, the simulator's tests and
 * the ITs do; in a cluster it comes with {@code kubectl apply -k manifests/}) and waits until the apiserver serves it.
 */
public final class NodeUsageCrd {
    /** The CRD's name. */
    public static final String NAME = "nodeusages." + NodeUsage.GROUP;
    /** Where the manifest lives, relative to the repository root. */
    public static final Path MANIFEST = Path.of("manifests", "crds", "nodeusage.yaml");

    private NodeUsageCrd() {}

    /**
     * Creates or replaces the CRD and waits for {@code Established=True}.
     *
     * @param client  an admin client
     * @param file    the manifest
     * @param timeout how long to wait for the apiserver to serve the resource
     */
    public static void install(KubernetesClient client, Path file, Duration timeout) {
        io.qshard.kube.api.Crds.install(client, file, timeout);
    }
}
