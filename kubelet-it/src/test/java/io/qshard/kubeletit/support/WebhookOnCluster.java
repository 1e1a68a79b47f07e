package io.qshard.kubeletit.support;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.Pki;
import io.qshard.oversale.AdmissionHandler;
import io.qshard.oversale.WebhookMetrics;
import io.qshard.oversale.WebhookServer;
import io.qshard.oversale.WebhookTls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The oversale webhook served in-process on loopback and registered with the apiserver as
 * {@code manifests/oversale/webhook.yaml} registers it: {@code nodes/status} UPDATE and node CREATE, objectSelector
 * {@value OversaleRatio#OPT_IN_LABEL}{@code =true}, {@code failurePolicy: Ignore}, {@code timeoutSeconds: 2}, the
 * caBundle of its own CA. The registration is labelled {@code qshard.io/it=true}, so {@code KubeletNodes.reset}
 * removes it even if {@link #close} did not run. Not thread-safe: the test's thread.
 */
public final class WebhookOnCluster implements AutoCloseable {
    /** The registration's name. */
    public static final String NAME = "qshard-oversale-kubelet-it";

    private final KubernetesClient admin;
    private final WebhookServer server;
    private final WebhookMetrics metrics;

    private WebhookOnCluster(KubernetesClient admin, WebhookServer server, WebhookMetrics metrics) {
        this.admin = admin;
        this.server = server;
        this.metrics = metrics;
    }

    /**
     * Serves the webhook and registers it.
     *
     * @param dir       where the serving key and certificate are written
     * @param maxCpu    the largest cpu ratio honoured ({@code --max-cpu-ratio})
     * @param maxMemory the largest memory ratio honoured ({@code --max-memory-ratio})
     */
    public static WebhookOnCluster start(KubernetesClient admin, Path dir, double maxCpu, double maxMemory) {
        Pki ca = Pki.newCa("qshard-kubelet-it-webhook-ca");
        Path[] files = ca.issueServing("qshard-webhook", List.of("127.0.0.1", "localhost"))
                .write(dir, "webhook");
        PrometheusMetrics exported = new PrometheusMetrics();
        WebhookMetrics metrics = new WebhookMetrics(exported);
        WebhookServer server = new WebhookServer(
                new InetSocketAddress("127.0.0.1", 0),
                new WebhookTls(files[1], files[0]),
                new AdmissionHandler(maxCpu, maxMemory, metrics),
                exported,
                -1,
                1);
        WebhookOnCluster w = new WebhookOnCluster(admin, server, metrics);
        try {
            String caBundle = Base64.getEncoder().encodeToString(ca.caPem().getBytes(StandardCharsets.UTF_8));
            admin.resource(registration("https://127.0.0.1:" + server.port() + "/mutate", caBundle))
                    .serverSideApply();
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** The handler's counters: {@code reviews} counts every review the apiserver sent. */
    public WebhookMetrics metrics() {
        return metrics;
    }

    private static MutatingWebhookConfiguration registration(String url, String caBundle) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withLabels(Map.of("qshard.io/it", "true"))
                .endMetadata()
                .addNewWebhook()
                .withName("oversale.qshard.io")
                .withNewClientConfig()
                .withUrl(url)
                .withCaBundle(caBundle)
                .endClientConfig()
                .addNewRule()
                .withOperations("UPDATE")
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("nodes/status")
                .endRule()
                .addNewRule()
                .withOperations("CREATE")
                .withApiGroups("")
                .withApiVersions("v1")
                .withResources("nodes")
                .endRule()
                .withFailurePolicy("Ignore")
                .withTimeoutSeconds(2)
                .withSideEffects("None")
                .withAdmissionReviewVersions("v1")
                .withNewObjectSelector()
                .withMatchLabels(Map.of(OversaleRatio.OPT_IN_LABEL, "true"))
                .endObjectSelector()
                .endWebhook()
                .build();
    }

    /** Unregisters, then stops the server. */
    @Override
    public void close() {
        try {
            admin.resources(MutatingWebhookConfiguration.class).withName(NAME).delete();
        } finally {
            server.close();
        }
    }
}
