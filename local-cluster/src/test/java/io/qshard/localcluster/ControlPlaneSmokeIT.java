package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.qshard.core.model.ResourceNames;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** 50 nodes and 200 pods through the real apiserver, read back by informers listed from the watch cache. */
@RealControlPlane
class ControlPlaneSmokeIT {
    private static final int NODES = 50;
    private static final int PODS = 200;
    private static final String[] TIERS = {"prod", "mid", "batch", "free"};

    @Test
    void informersSeeEverythingAndListFromTheWatchCache(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "smoke");
        for (int i = 0; i < NODES; i++) {
            admin.nodes()
                    .resource(NodeFixture.node("smoke-" + i)
                            .cpu("16")
                            .memory("64Gi")
                            .batch(8000, 32L << 30)
                            .build())
                    .create();
        }
        for (int i = 0; i < PODS; i++) {
            admin.pods()
                    .inNamespace(ns)
                    .resource(PodFixture.pod("p-" + i)
                            .namespace(ns)
                            .tier(TIERS[i % 4])
                            .cpuMilli(250)
                            .memoryMi(256)
                            .build())
                    .create();
        }

        String agent = "smoke-informer-" + UUID.randomUUID();
        try (KubernetesClient client = KubeClients.forControlPlane(cp, agent);
                SharedIndexInformer<Node> nodes = client.nodes().inform();
                SharedIndexInformer<Pod> pods = client.pods().inNamespace(ns).inform()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(nodes.getStore().list()).hasSize(NODES);
                assertThat(pods.getStore().list()).hasSize(PODS);
            });
            Node n = nodes.getStore().getByKey("smoke-7");
            assertThat(n.getStatus()
                            .getAllocatable()
                            .get(ResourceNames.BATCH_CPU)
                            .getNumericalAmount())
                    .isEqualByComparingTo("8000");
            Pod batch = pods.getStore().getByKey(ns + "/p-2");
            assertThat(batch.getSpec().getSchedulerName()).isEqualTo("qshard-batch");
            assertThat(batch.getSpec().getContainers().get(0).getResources().getRequests())
                    .containsOnlyKeys(ResourceNames.BATCH_CPU, ResourceNames.BATCH_MEMORY);
        }

        // What did the informers ask? The audit log has one line per LIST, with the query as sent.
        List<AuditLog.Event> lists = new AuditLog(cp.auditLog().orElseThrow())
                .events().stream()
                        .filter(e -> e.userAgent().equals(agent) && e.verb().equals("list"))
                        .toList();
        assertThat(lists)
                .extracting(e -> e.requestUri().replaceFirst("\\?.*", ""))
                .containsExactlyInAnyOrder("/api/v1/nodes", "/api/v1/namespaces/" + ns + "/pods");
        assertThat(lists).allSatisfy(e -> {
            assertThat(e.hasParam("resourceVersion", "0"))
                    .as("served from the watch cache: %s", e.requestUri())
                    .isTrue();
            assertThat(e.hasParam("limit")).as("not paged: %s", e.requestUri()).isFalse();
            assertThat(e.code()).isEqualTo(200);
        });
    }
}
