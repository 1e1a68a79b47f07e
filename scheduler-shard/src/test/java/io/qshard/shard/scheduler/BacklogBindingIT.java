package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.AuditLog;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 1,000 nodes and a backlog of 5,000 prod pods on the real apiserver: all bound, no node over allocatable,
 * and — from the apiserver's audit log — one binding write per pod, a bounded number of events, and no LIST
 * after the two initial ones (nodes, pods), both served from the watch cache.
 */
@RealControlPlane
class BacklogBindingIT {

    @Test
    void bindsTheWholeBacklogWithinAllocatable(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "backlog");
        // 1,000 × 2 cores / 4Gi; 5,000 pods averaging 280m / 544Mi → 70% of cpu, 66% of memory requested
        Bulk.create(admin, SchedulerITSupport.nodes("bk", 1000, "2", "4Gi"), 16);
        Bulk.create(admin, SchedulerITSupport.prodPods(ns, "p", 5000, 1), 16);

        AuditLog audit = new AuditLog(cp.auditLog().orElseThrow());
        int before = audit.events().size(); // the control plane (and its audit log) is shared by every IT class
        SchedulerProcess scheduler = SchedulerITSupport.startProd(cp);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) == 5000);
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
        List<String> over = SchedulerITSupport.overcommittedNodes(admin);
        assertThat(over).as("nodes whose kubelet would refuse a pod").isEmpty();
        TierScheduler prod = scheduler.schedulers().get(0);
        assertThat(prod.metrics().bound.sum()).isEqualTo(5000);
        assertThat(prod.metrics().bindErrors.sum()).isZero();

        // the apiserver writes its audit log asynchronously: wait until every binding has been logged
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> audit.bindings(ns).size() >= 5000);
        List<AuditLog.Event> all = audit.events();
        List<AuditLog.Event> ours = all.subList(before, all.size()).stream()
                .filter(e -> e.userAgent().equals(SchedulerITSupport.AGENT))
                .toList();
        String inNs = "/api/v1/namespaces/" + ns + "/";
        long bindings = ours.stream()
                .filter(e -> e.bindingPod() != null && ns.equals(e.namespace()))
                .count();
        long events = ours.stream()
                .filter(e -> e.verb().equals("create") && e.requestUri().startsWith(inNs + "events"))
                .count();
        List<AuditLog.Event> lists =
                ours.stream().filter(e -> e.verb().equals("list")).toList();
        assertThat(bindings).as("one binding write per pod").isEqualTo(5000);
        assertThat(events)
                .as("Scheduled events are rate-limited and summarised, not one per pod")
                .isLessThan(500);
        // everything else the scheduler asked for (lists, watches, leases, discovery) is a handful, not per pod:
        // nothing polls — for each of the 10 resources besides nodes and pods (5 topology, 4 volume, PDBs), two
        // SelfSubjectAccessReviews (list, watch), one list and a watch or two
        java.util.Map<String, Long> other = ours.stream()
                .filter(e -> !(e.verb().equals("create") && e.requestUri().startsWith(inNs)))
                .collect(java.util.stream.Collectors.groupingBy(
                        e -> e.verb() + " " + e.requestUri().replaceFirst("\\?.*", ""),
                        java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        assertThat(other.values().stream().mapToLong(Long::longValue).sum())
                .as("other requests: %s", other)
                .isLessThan(80);
        // nodes and pods, and once each what the topology plugins read (the selectors behind default spread
        // constraints, namespace labels), the volume plugins read (claims, PVs, classes, CSINodes) and preemption reads
        // (PodDisruptionBudgets, policy/v1beta1 on this 1.20 apiserver); plus NodeUsage
        // when an earlier IT of this JVM installed its CRD
        assertThat(lists)
                .extracting(e -> e.requestUri().replaceFirst("\\?.*", ""))
                .filteredOn(uri -> !uri.equals("/apis/qshard.io/v1alpha1/nodeusages"))
                .containsExactlyInAnyOrder(
                        "/api/v1/nodes",
                        "/api/v1/pods",
                        "/apis/apps/v1/replicasets",
                        "/apis/apps/v1/statefulsets",
                        "/api/v1/replicationcontrollers",
                        "/api/v1/services",
                        "/api/v1/namespaces",
                        "/api/v1/persistentvolumeclaims",
                        "/api/v1/persistentvolumes",
                        "/apis/storage.k8s.io/v1/storageclasses",
                        "/apis/storage.k8s.io/v1/csinodes",
                        "/apis/policy/v1beta1/poddisruptionbudgets");
        assertThat(lists)
                .extracting(e -> e.requestUri().replaceFirst("\\?.*", ""))
                .filteredOn(uri -> uri.equals("/apis/qshard.io/v1alpha1/nodeusages"))
                .hasSizeLessThanOrEqualTo(1);
        assertThat(lists).allSatisfy(e -> {
            assertThat(e.hasParam("resourceVersion", "0")).isTrue();
            assertThat(e.hasParam("limit")).isFalse();
        });
    }
}
