package io.qshard.kube.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The API client every qshard component talks to the apiserver with. */
public final class ApiClients {
    private ApiClients() {}

    /**
     * A client with request timeouts (connect 10 s, request 30 s), no client-side retries of writes (each component
     * retries itself, with its own backoff) and BoringSSL TLS where it loads ({@link NativeTlsHttpClientFactory}).
     *
     * @param base      the resolved kubeconfig
     * @param userAgent the component, as the apiserver's audit log shows it (e.g. {@code qshard-agent/node-1})
     */
    public static KubernetesClient create(Config base, String userAgent) {
        Config c = new ConfigBuilder(base)
                .withUserAgent(userAgent)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(10_000)
                .withRequestTimeout(30_000)
                .build();
        return new KubernetesClientBuilder()
                .withConfig(c)
                .withHttpClientFactory(new NativeTlsHttpClientFactory())
                .build();
    }
}
