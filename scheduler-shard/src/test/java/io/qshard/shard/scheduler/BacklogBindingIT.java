package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;

/** 1,000 nodes and a backlog of 5,000 prod pods on the real apiserver: all bound, no node over allocatable. */
@RealControlPlane
class BacklogBindingIT {

    @Test
    void bindsTheWholeBacklogWithinAllocatable(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "backlog");
        // 1,000 × 2 cores / 4Gi; 5,000 pods averaging 280m / 544Mi → 70% of cpu, 66% of memory requested
        Bulk.create(admin, SchedulerITSupport.nodes("bk", 1000, "2", "4Gi"), 16);
        Bulk.create(admin, SchedulerITSupport.prodPods(ns, "p", 5000, 1), 16);

        SchedulerProcess scheduler = SchedulerITSupport.startProd(cp);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) == 5000);
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        List<String> over = SchedulerITSupport.overcommittedNodes(admin);
        assertThat(over).as("nodes whose kubelet would refuse a pod").isEmpty();
        TierScheduler prod = scheduler.schedulers().get(0);
        assertThat(prod.metrics().bound.sum()).isEqualTo(5000);
        assertThat(prod.metrics().bindErrors.sum()).isZero();
    }
}
