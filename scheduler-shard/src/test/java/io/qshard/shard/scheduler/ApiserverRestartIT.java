package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The apiserver restarts mid-backlog after etcd's history was compacted past the scheduler's last
 * resourceVersion: the resumed watch gets 410 Gone, the scheduler re-lists, never exits, and binds every pod.
 */
@RealControlPlane
class ApiserverRestartIT {

    @Test
    void survivesAnApiserverRestartAnd410GoneRelist(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "apirestart");
        Bulk.create(admin, SchedulerITSupport.nodes("ar", 200, "4", "8Gi"), 16);
        Bulk.create(admin, SchedulerITSupport.prodPods(ns, "p", 2000, 11), 16);

        SchedulerProcess scheduler = SchedulerITSupport.startProd(cp);
        try {
            int listsBefore = scheduler.informers().lists();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) >= 300);
            // move etcd past anything the scheduler has seen, and forget the history in between
            admin.resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("bump")
                            .withNamespace(ns)
                            .endMetadata()
                            .withData(Map.of("k", "v"))
                            .build())
                    .create();
            cp.compactEtcd();
            cp.restartApiserver();

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) == 2000);
            assertThat(scheduler.informers().lists())
                    .as("re-listed after 410 Gone")
                    .isGreaterThan(listsBefore);
            assertThat(scheduler.schedulers().get(0).isRunning())
                    .as("decision loop alive")
                    .isTrue();
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
    }
}
