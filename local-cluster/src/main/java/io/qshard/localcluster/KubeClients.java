package io.qshard.localcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/** Builds fabric8 clients for a kubeconfig file, with an identifying user agent (shown in audit logs). */
public final class KubeClients {
    private KubeClients() {}

    /**
     * A client for the kubeconfig's current context.
     *
     * @param kubeconfig a kubeconfig file
     * @param userAgent  the User-Agent header, e.g. {@code qshard-scheduler/prod-0}
     */
    public static KubernetesClient forKubeconfig(Path kubeconfig, String userAgent) {
        Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig.toFile()))
                .withUserAgent(userAgent)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A client for this control plane's admin kubeconfig. */
    public static KubernetesClient forControlPlane(LocalControlPlane cp, String userAgent) {
        return forKubeconfig(cp.kubeconfig(), userAgent);
    }
}
