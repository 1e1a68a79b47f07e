package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.status.PodStatusReporter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pod asking for something qshard does not schedule by (here an in-tree Azure disk, whose per-node attach limit
 * kube-scheduler 1.20's AzureDiskLimits enforces) is still scheduled, and its user is told in an Event naming the field;
 * a pod without such fields gets no such Event.
 */
@RealControlPlane
class IgnoredFieldsEventIT {
    private static SchedulerProcess scheduler;

    @BeforeAll
    static void start(KubernetesClient admin, LocalControlPlane cp) {
        Bulk.create(admin, SchedulerITSupport.nodes("ignored", 2, "4", "8Gi"), 2);
        scheduler = SchedulerITSupport.startProd(cp);
    }

    @AfterAll
    static void stop() {
        scheduler.stop(Duration.ofSeconds(5));
    }

    @Test
    void anIgnoredFieldIsNamedInAnEventAndThePodIsStillBound(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "ignored");
        Pod withDisk = new PodBuilder(PodFixture.pod("with-disk")
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(100)
                        .memoryMi(64)
                        .build())
                .editSpec()
                .addNewVolume()
                .withName("azure")
                .withNewAzureDisk()
                .withDiskName("web.vhd")
                .withDiskURI("https://example.blob.core.windows.net/vhds/web.vhd")
                .endAzureDisk()
                .endVolume()
                .endSpec()
                .build();
        admin.resource(withDisk).create();
        admin.resource(PodFixture.pod("plain")
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(100)
                        .memoryMi(64)
                        .build())
                .create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Event> events = admin.v1().events().inNamespace(ns).list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo(PodStatusReporter.IGNORED_REASON);
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("with-disk");
                assertThat(e.getMessage())
                        .isEqualTo("qshard-prod does not schedule by: spec.volumes[azure]: the node's Azure disk"
                                + " attach limit is not enforced");
            });
            assertThat(admin.pods()
                            .inNamespace(ns)
                            .withName("with-disk")
                            .get()
                            .getSpec()
                            .getNodeName())
                    .isNotNull();
            // both pods were decided (Scheduled events), and only the one with the disk was told anything else
            assertThat(events)
                    .filteredOn(e -> e.getReason().equals("Scheduled"))
                    .extracting(e -> e.getInvolvedObject().getName())
                    .contains("with-disk", "plain");
        });
        assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> e.getReason().equals(PodStatusReporter.IGNORED_REASON))
                .extracting(e -> e.getInvolvedObject().getName())
                .containsExactly("with-disk");
    }
}
