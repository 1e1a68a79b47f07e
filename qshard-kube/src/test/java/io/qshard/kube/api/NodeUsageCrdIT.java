package io.qshard.kube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.localcluster.junit.RealControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NodeUsage CRD on the real apiserver: a well-formed report round-trips through the status subresource, and the
 * schema rejects what it can (negative amounts, a malformed timestamp, missing fields, an out-of-range window) with
 * a 422 naming the field.
 */
@RealControlPlane
class NodeUsageCrdIT {

    @BeforeAll
    static void install(KubernetesClient admin) {
        NodeUsageCrd.install(admin, Path.of("..").resolve(NodeUsageCrd.MANIFEST), Duration.ofSeconds(30));
    }

    @AfterAll
    static void cleanUp(KubernetesClient admin) {
        admin.resources(NodeUsage.class).withName("crd-ok").delete();
        admin.resources(NodeUsage.class).withName("crd-bad").delete();
    }

    private static NodeUsageStatus valid() {
        NodeUsageStatus s = new NodeUsageStatus();
        s.setTimestamp("2026-11-25T10:00:00Z");
        s.setWindowSeconds(10);
        s.setReporter("simulate/test");
        s.setNode(new UsageAmount(3_500, 12L << 30));
        s.setTiers(Map.of("prod", new UsageAmount(3_000, 10L << 30), "batch", new UsageAmount(500, 2L << 30)));
        s.setPods(List.of(new PodUsage("uid-1", "ns", "p1", "batch", 500, 2L << 30)));
        return s;
    }

    private static NodeUsage create(KubernetesClient admin, String name) {
        NodeUsage nu = new NodeUsage();
        nu.setMetadata(new ObjectMetaBuilder().withName(name).build());
        return admin.resources(NodeUsage.class).resource(nu).create();
    }

    private static NodeUsage writeStatus(KubernetesClient admin, String name, Consumer<NodeUsageStatus> edit) {
        NodeUsage nu = admin.resources(NodeUsage.class).withName(name).get();
        NodeUsageStatus status = valid();
        edit.accept(status);
        nu.setStatus(status);
        return admin.resources(NodeUsage.class).resource(nu).updateStatus();
    }

    @Test
    void wellFormedReportRoundTrips(KubernetesClient admin) {
        create(admin, "crd-ok");
        writeStatus(admin, "crd-ok", s -> {});
        NodeUsageStatus read =
                admin.resources(NodeUsage.class).withName("crd-ok").get().getStatus();
        assertThat(read.getNode().getCpuMilli()).isEqualTo(3_500);
        assertThat(read.getTiers().get("batch").getMemoryBytes()).isEqualTo(2L << 30);
        assertThat(read.getPods())
                .singleElement()
                .satisfies(p -> assertThat(p.getUid()).isEqualTo("uid-1"));
        assertThat(read.getReporter()).isEqualTo("simulate/test");
    }

    @Test
    void schemaRejectsMalformedReportsNamingTheField(KubernetesClient admin) {
        create(admin, "crd-bad");
        assertRejected(admin, s -> s.getNode().setCpuMilli(-5L), "status.node.cpuMilli");
        assertRejected(admin, s -> s.getPods().get(0).setMemoryBytes(-1L), "status.pods");
        assertRejected(admin, s -> s.setTimestamp("yesterday"), "status.timestamp");
        assertRejected(admin, s -> s.setWindowSeconds(0), "status.windowSeconds");
        assertRejected(admin, s -> s.setReporter(null), "status.reporter");
        assertRejected(admin, s -> s.setNode(null), "status.node");
    }

    private static void assertRejected(KubernetesClient admin, Consumer<NodeUsageStatus> edit, String field) {
        assertThatThrownBy(() -> writeStatus(admin, "crd-bad", edit))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains(field);
                });
    }
}
