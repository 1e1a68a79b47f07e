package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a user sees for a pod no node fits (FailedScheduling event with the aggregated diagnosis and
 * PodScheduled=False), that it is bound soon after a big enough node appears, and that pods of other
 * schedulers are left alone.
 */
@RealControlPlane
class UnschedulablePodIT {
    private static SchedulerProcess scheduler;

    @BeforeAll
    static void start(KubernetesClient admin, LocalControlPlane cp) {
        Bulk.create(admin, SchedulerITSupport.nodes("small", 3, "2", "4Gi"), 3);
        scheduler = SchedulerITSupport.startProd(cp);
    }

    @AfterAll
    static void stop() {
        scheduler.stop(Duration.ofSeconds(5));
    }

    @Test
    void aPodTooLargeForEveryNodeIsExplainedThenBoundWhenANodeFits(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "unsched");
        admin.resource(PodFixture.pod("big")
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(6000)
                        .memoryMi(1024)
                        .build())
                .create();

        String expected = "0/3 nodes are available: 3 Insufficient cpu.";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Event> events = admin.v1().events().inNamespace(ns).list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("big");
                assertThat(e.getMessage()).isEqualTo(expected);
                assertThat(e.getSource().getComponent()).isEqualTo("qshard-prod");
            });
            PodCondition c =
                    condition(admin.pods().inNamespace(ns).withName("big").get());
            assertThat(c).isNotNull();
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(expected);
        });

        admin.resource(NodeFixture.node("big-node").cpu("8").memory("16Gi").build())
                .create();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(admin.pods()
                                .inNamespace(ns)
                                .withName("big")
                                .get()
                                .getSpec()
                                .getNodeName())
                        .isEqualTo("big-node"));
    }

    @Test
    void podsOfOtherSchedulersAreNeverTouched(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "foreign");
        admin.resource(PodFixture.pod("theirs")
                        .namespace(ns)
                        .tier("prod")
                        .schedulerName("default-scheduler")
                        .cpuMilli(100)
                        .memoryMi(64)
                        .build())
                .create();
        admin.resource(PodFixture.pod("ours")
                        .namespace(ns)
                        .tier("prod")
                        .cpuMilli(100)
                        .memoryMi(64)
                        .build())
                .create();

        // "ours" being bound shows the scheduler has seen both pods; "theirs" must stay exactly as created
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.pods()
                                .inNamespace(ns)
                                .withName("ours")
                                .get()
                                .getSpec()
                                .getNodeName()
                        != null);
        Pod theirs = admin.pods().inNamespace(ns).withName("theirs").get();
        assertThat(theirs.getSpec().getNodeName()).isNull();
        assertThat(condition(theirs)).isNull();
        assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                .noneMatch(e -> e.getInvolvedObject().getName().equals("theirs"));
    }

    private static PodCondition condition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return null;
        }
        return p.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("PodScheduled"))
                .findFirst()
                .orElse(null);
    }
}
