package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.kube.convert.NodeConverter;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.Pki;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook registered with the real kube-apiserver (failurePolicy Ignore, timeoutSeconds 2, objectSelector on the
 * opt-in label, caBundle of its own CA), serving on loopback. Status updates are sent as a kubelet sends its
 * heartbeat: GET the node, set the status it computes (its real allocatable, fresh condition times), PATCH
 * {@code nodes/status} with a strategic merge patch.
 *
 * <p>Arithmetic: allocatable 15 cores / 60 GiB; ratios cpu 1.5, memory 1.2 → 22500m / 72 GiB (under the cap:
 * capacity 16 cores × 2 = 32000m).
 */
@RealControlPlane(keepNodes = true)
class OversaleWebhookIT {
    private static final String CONFIG = "qshard-oversale-it";
    private static final String DOWN = "qshard-oversale-it-down";
    private static final String LABEL_DOWN = "qshard.io/oversale-down-it";
    private static final PrometheusMetrics EXPORTED = new PrometheusMetrics();
    private static final WebhookMetrics METRICS = new WebhookMetrics(EXPORTED);
    private static final long REAL_CPU = 15_000;
    private static final long REAL_MEMORY = 60L << 30;
    private static final long SCALED_CPU = 22_500; // 15000m × 1.5
    private static final long SCALED_MEMORY = 72L << 30; // 60 GiB × 1.2
    private static WebhookServer server;

    @BeforeAll
    static void serveAndRegister(KubernetesClient admin, @TempDir Path dir) {
        Pki ca = Pki.newCa("qshard-webhook-it-ca");
        Path[] files = ca.issueServing("qshard-webhook", List.of("127.0.0.1", "localhost"))
                .write(dir, "webhook");
        server = new WebhookServer(
                new InetSocketAddress("127.0.0.1", 0),
                new WebhookTls(files[1], files[0]),
                new AdmissionHandler(2.0, 2.0, METRICS),
                EXPORTED,
                0,
                1);
        assertThat(server.nativeTls()).as("BoringSSL loads on this machine").isTrue();
        String caBundle = Base64.getEncoder().encodeToString(ca.caPem().getBytes(StandardCharsets.UTF_8));
        admin.resource(registration(
                        CONFIG, "https://127.0.0.1:" + server.port() + "/mutate", caBundle, OversaleRatio.OPT_IN_LABEL))
                .serverSideApply();
        // a second registration whose webhook is down: nothing listens on port 1
        admin.resource(registration(DOWN, "https://127.0.0.1:1/mutate", caBundle, LABEL_DOWN))
                .serverSideApply();
        // the apiserver picks registrations up asynchronously: a probe node shows when it is in force
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    admin.nodes().withName("ov-probe").delete();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> admin.nodes().withName("ov-probe").get() == null);
                    Node n =
                            admin.resource(node("ov-probe", true, "1.5", "1.2")).create();
                    return allocatable(n).get(0) == SCALED_CPU;
                });
    }

    @AfterAll
    static void unregister(KubernetesClient admin) {
        admin.resources(MutatingWebhookConfiguration.class).withName(CONFIG).delete();
        admin.resources(MutatingWebhookConfiguration.class).withName(DOWN).delete();
        for (String n : List.of(
                "ov-probe",
                "ov-heartbeat",
                "ov-annotated",
                "ov-missed",
                "ov-unlabelled",
                "ov-bad",
                "ov-down",
                "ov-metrics")) {
            admin.nodes().withName(n).delete();
        }
        server.close();
    }

    @Test
    void aKubeletHeartbeatComesBackWithScaledAllocatableAndOtherStatusWritesDoNotCompound(KubernetesClient admin) {
        Node created = admin.resource(node("ov-heartbeat", true, "1.5", "1.2")).create();
        assertThat(allocatable(created)).as("on CREATE").containsExactly(SCALED_CPU, SCALED_MEMORY);
        Node afterHeartbeat = heartbeat(admin, "ov-heartbeat");
        assertThat(allocatable(afterHeartbeat)).containsExactly(SCALED_CPU, SCALED_MEMORY);
        // the apiserver keeps the webhook's record of what it applied on a nodes/status write
        assertThat(afterHeartbeat.getMetadata().getAnnotations())
                .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2");
        assertThat(afterHeartbeat.getStatus().getCapacity().get("cpu")).isEqualTo(new Quantity("16"));
        assertThat(afterHeartbeat.getStatus().getCapacity().get("memory")).isEqualTo(new Quantity("64Gi"));
        // a write that does not send allocatable (the node agent's batch resources) leaves the scaled value as it is
        Node batch = admin.nodes()
                .withName("ov-heartbeat")
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"capacity\":{\"qshard.io/batch-cpu\":\"4000\"},\"allocatable\":{\"qshard.io/batch-cpu\":\"4000\"}}}");
        assertThat(allocatable(batch)).containsExactly(SCALED_CPU, SCALED_MEMORY);
        assertThat(allocatable(heartbeat(admin, "ov-heartbeat")))
                .as("and the next heartbeat again")
                .containsExactly(SCALED_CPU, SCALED_MEMORY);
    }

    @Test
    void aRatioAnnotatedOnARegisteredNodeAppliesAtTheNextStatusWriteWithoutAllocatable(KubernetesClient admin) {
        Node n = node("ov-annotated", true, "1.5", "1.2");
        n.getMetadata().setAnnotations(null); // registered without ratios, as a kubelet registers it
        assertThat(allocatable(admin.resource(n).create())).containsExactly(REAL_CPU, REAL_MEMORY);
        Node annotated = admin.nodes()
                .withName("ov-annotated")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + OversaleRatio.CPU_ANNOTATION + "\":\"1.5\",\""
                                + OversaleRatio.MEMORY_ANNOTATION + "\":\"1.2\"}}}");
        assertThat(allocatable(annotated))
                .as("a metadata write is not reviewed")
                .containsExactly(REAL_CPU, REAL_MEMORY);
        // the kubelet's status patch leaves allocatable out while its real value equals the stored one
        Node scaled = conditionsOnly(admin, "ov-annotated");
        assertThat(allocatable(scaled)).containsExactly(SCALED_CPU, SCALED_MEMORY);
        assertThat(scaled.getMetadata().getAnnotations())
                .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2");
        assertThat(allocatable(heartbeat(admin, "ov-annotated")))
                .as("the kubelet sends its real value again, now that the stored one differs")
                .containsExactly(SCALED_CPU, SCALED_MEMORY);
        assertThat(allocatable(conditionsOnly(admin, "ov-annotated")))
                .as("no compounding")
                .containsExactly(SCALED_CPU, SCALED_MEMORY);
        admin.nodes()
                .withName("ov-annotated")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + OversaleRatio.CPU_ANNOTATION + "\":\"1.2\"}}}");
        Node lowered = conditionsOnly(admin, "ov-annotated");
        assertThat(allocatable(lowered))
                .as("a changed ratio is rescaled from the real value: 15000m × 1.2")
                .containsExactly(18_000L, SCALED_MEMORY);
        assertThat(lowered.getMetadata().getAnnotations())
                .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.2,memory=1.2");
    }

    @Test
    void aStatusWriteTheWebhookMissedIsScaledAtTheNextWriteWithoutAllocatable(KubernetesClient admin) {
        Node created = admin.resource(node("ov-missed", true, "1.5", "1.2")).create();
        assertThat(allocatable(created)).containsExactly(SCALED_CPU, SCALED_MEMORY);
        assertThat(created.getMetadata().getAnnotations())
                .as("what the webhook left, next to the ratios it applied")
                .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2")
                .containsEntry(OversaleRatio.SCALED_ANNOTATION, "cpu=22500m,memory=" + SCALED_MEMORY);
        // the opt-in label off for a moment: the objectSelector keeps a heartbeat away from the webhook, as a timeout
        // or a rollout would with failurePolicy Ignore, and the kubelet's real value is stored as sent
        optIn(admin, "ov-missed", false);
        Node missed = heartbeat(admin, "ov-missed");
        assertThat(allocatable(missed)).containsExactly(REAL_CPU, REAL_MEMORY);
        assertThat(missed.getMetadata().getAnnotations())
                .as("the record still says scaled")
                .containsEntry(OversaleRatio.APPLIED_ANNOTATION, "cpu=1.5,memory=1.2");
        assertThat(real(missed))
                .as("the schedulers take the stored value for real, not 15000m ÷ 1.5")
                .containsExactly(REAL_CPU, REAL_MEMORY);
        optIn(admin, "ov-missed", true);
        // the kubelet's next patch leaves its allocatable out (it equals the stored one): trusting the ratio,
        // 15000m ÷ 1.5 × 1.5 = 15000m (and 60 GiB ÷ 1.2 × 1.2) left the node at its real value for good
        Node healed = conditionsOnly(admin, "ov-missed");
        assertThat(allocatable(healed)).containsExactly(SCALED_CPU, SCALED_MEMORY);
        assertThat(real(healed)).containsExactly(REAL_CPU, REAL_MEMORY);
        assertThat(allocatable(conditionsOnly(admin, "ov-missed")))
                .as("no compounding")
                .containsExactly(SCALED_CPU, SCALED_MEMORY);
    }

    @Test
    void aNodeWithoutTheOptInLabelIsNeverSentToTheWebhook(KubernetesClient admin) {
        long reviews = METRICS.reviews.sum();
        admin.resource(node("ov-unlabelled", false, "1.5", "1.2")).create();
        assertThat(allocatable(heartbeat(admin, "ov-unlabelled"))).containsExactly(REAL_CPU, REAL_MEMORY);
        assertThat(METRICS.reviews.sum()).as("the objectSelector kept it away").isEqualTo(reviews);
    }

    @Test
    void badRatiosAreIgnoredWithAWarning(KubernetesClient admin) {
        long refused = METRICS.refusedRatios.sum();
        admin.resource(node("ov-bad", true, "NaN", "7")).create();
        assertThat(allocatable(heartbeat(admin, "ov-bad"))).containsExactly(REAL_CPU, REAL_MEMORY);
        assertThat(METRICS.refusedRatios.sum()).isGreaterThanOrEqualTo(refused + 4); // create + heartbeat, two each
    }

    @Test
    void withTheWebhookDownUpdatesStillSucceedWithTheRealAllocatable(KubernetesClient admin) {
        Node n = node("ov-down", false, "1.5", "1.2");
        n.getMetadata().getLabels().put(LABEL_DOWN, "true");
        long reviews = METRICS.reviews.sum();
        admin.resource(n).create();
        Node after = heartbeat(admin, "ov-down");
        assertThat(allocatable(after)).containsExactly(REAL_CPU, REAL_MEMORY);
        // failurePolicy Ignore: the call failed and the write went through as sent — no record of applied ratios — and
        // no review reached the live webhook (its registration selects another label)
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(OversaleRatio.APPLIED_ANNOTATION);
        assertThat(METRICS.reviews.sum()).isEqualTo(reviews);
    }

    @Test
    void metricsAreServedOnTheirOwnPort(KubernetesClient admin) throws Exception {
        admin.resource(node("ov-metrics", true, "1.5", "1.2")).create(); // one review at least
        String text = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(text.lines())
                .contains("# TYPE qshard_webhook_reviews_total counter", "# TYPE qshard_webhook_review_seconds summary")
                .anyMatch(l -> l.startsWith("qshard_webhook_review_seconds{quantile=\"0.99\"} "));
        assertThat(sample(text, "qshard_webhook_reviews_total")).isGreaterThanOrEqualTo(1);
        assertThat(sample(text, "qshard_webhook_review_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(sample(text, "qshard_webhook_review_seconds_sum"))
                .as("a real sum of the review times")
                .isPositive();
    }

    private static double sample(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in\n" + text));
    }

    private static MutatingWebhookConfiguration registration(String name, String url, String caBundle, String label) {
        return new MutatingWebhookConfigurationBuilder()
                .withNewMetadata()
                .withName(name)
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
                .withMatchLabels(Map.of(label, "true"))
                .endObjectSelector()
                .endWebhook()
                .build();
    }

    private static Node node(String name, boolean optIn, String cpuRatio, String memoryRatio) {
        NodeFixture f = NodeFixture.node(name).cpu("16").memory("64Gi");
        if (optIn) {
            f.label(OversaleRatio.OPT_IN_LABEL, "true");
        }
        Node n = f.build();
        n.getMetadata()
                .setAnnotations(
                        Map.of(OversaleRatio.CPU_ANNOTATION, cpuRatio, OversaleRatio.MEMORY_ANNOTATION, memoryRatio));
        n.getStatus()
                .setAllocatable(
                        Map.of("cpu", new Quantity("15"), "memory", new Quantity("60Gi"), "pods", new Quantity("110")));
        return n;
    }

    /** As the kubelet does it: its computed status (real allocatable, a fresh heartbeat) as a strategic merge patch. */
    private static Node heartbeat(KubernetesClient admin, String name) {
        String now = Instant.now().toString();
        String patch = "{\"status\":{\"allocatable\":{\"cpu\":\"15\",\"memory\":\"60Gi\",\"pods\":\"110\"},"
                + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\","
                + "\"message\":\"kubelet is posting ready status\",\"lastHeartbeatTime\":\"" + now + "\"}]}}";
        return admin.nodes()
                .withName(name)
                .subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    /** The kubelet's status patch when its computed allocatable equals the stored one: conditions only. */
    private static Node conditionsOnly(KubernetesClient admin, String name) {
        String patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\","
                + "\"lastHeartbeatTime\":\"" + Instant.now() + "\"}]}}";
        return admin.nodes()
                .withName(name)
                .subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    /** Sets or removes the opt-in label: a metadata patch, which the webhook does not review. */
    private static void optIn(KubernetesClient admin, String name, boolean on) {
        admin.nodes()
                .withName(name)
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"" + OversaleRatio.OPT_IN_LABEL + "\":"
                                + (on ? "\"true\"" : "null") + "}}}");
    }

    /** The real cpu (milli-cores) and memory (bytes) the schedulers take from the node. */
    private static List<Long> real(Node n) {
        io.qshard.core.model.Node converted = NodeConverter.convert(n);
        return List.of(
                converted.realAllocatable().milliCpu(),
                converted.realAllocatable().memoryBytes());
    }

    /** cpu in milli-cores and memory in bytes, whatever notation the apiserver stored them in. */
    private static List<Long> allocatable(Node n) {
        return List.of(
                Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("cpu"))
                        .movePointRight(3)
                        .longValueExact(),
                Quantity.getAmountInBytes(n.getStatus().getAllocatable().get("memory"))
                        .longValueExact());
    }
}
