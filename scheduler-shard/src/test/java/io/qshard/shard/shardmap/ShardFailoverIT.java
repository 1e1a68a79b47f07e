package io.qshard.shard.shardmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.ShardMap;
import io.qshard.localcluster.AuditLog;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.scheduler.SchedulerITSupport;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two shards of the prod tier, two replicas each (four instances electing one leader per shard on Leases
 * {@code qshard-prod-0/1}: lease 6 s, renew deadline 4 s, retry 1 s), a backlog of 2,000 pods on 100 nodes. Mid-backlog
 * the leader of shard 1 is killed as a crash (its Lease is not released): its standby must win the Lease once it
 * expires (one transition) and bind the rest, and every pod must end bound exactly once (the apiserver's audit log of
 * bindings).
 */
@RealControlPlane
class ShardFailoverIT {
    private static final Duration LEASE = Duration.ofSeconds(6);

    @Test
    void aStandbyTakesOverAKilledShardLeaderAndEveryPodIsBoundOnce(KubernetesClient admin, LocalControlPlane cp)
            throws InterruptedException {
        Crds.install(admin, Path.of("..").resolve(ShardMap.MANIFEST), Duration.ofSeconds(30));
        admin.resources(ShardMap.class).withName("prod").delete();
        String leases = Namespaces.fresh(admin, "leases");
        String ns = Namespaces.fresh(admin, "failover");
        Bulk.create(admin, SchedulerITSupport.nodes("fo", 100, "8", "32Gi"), 16); // 800 cores for ~560 requested
        QshardConfig cfg = QshardConfig.defaults().withShards("prod", 2).withShardRotation(Duration.ofSeconds(30));
        Map<String, SchedulerProcess> replicas = new HashMap<>();
        for (String id : List.of("a", "b")) {
            for (int shard = 0; shard < 2; shard++) {
                replicas.put(id + shard, start(cp, cfg, shard, leases, id + shard));
            }
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> holder(admin, leases, 0) != null && holder(admin, leases, 1) != null);
            Thread backlog = new Thread(() -> Bulk.create(admin, SchedulerITSupport.prodPods(ns, "p", 2000, 11), 4));
            backlog.start(); // arriving while the shards schedule, so the kill lands mid-backlog
            String leader = holder(admin, leases, 1);
            SchedulerProcess leading = replicas.get(leader);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> leading.schedulers().get(0).metrics().bound.sum() >= 100);
            int transitionsAtKill = transitions(admin, leases, 1);
            replicas.remove(leader).kill(); // mid-backlog: shard 1 has hundreds of pods left
            long boundAtKill = SchedulerITSupport.boundIn(admin, ns);
            String standby = leader.startsWith("a") ? "b1" : "a1";
            // a generous deadline for the takeover, not a measurement: the Lease expires LEASE after the last renewal
            await().atMost(LEASE.plusSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> standby.equals(holder(admin, leases, 1))
                            && replicas.get(standby).schedulers().get(0).leading());
            assertThat(transitions(admin, leases, 1))
                    .as("the Lease changed hands once")
                    .isEqualTo(transitionsAtKill + 1);
            System.out.printf("shard 1: %s killed, %s leads%n", leader, standby);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) == 2000);
            backlog.join();
            long byStandby =
                    replicas.get(standby).schedulers().get(0).metrics().bound.sum();
            System.out.printf("bound at the kill: %d of 2000; by the standby afterwards: %d%n", boundAtKill, byStandby);
            assertThat(boundAtKill).as("killed mid-backlog").isLessThan(1500);
            assertThat(byStandby).as("the standby took over shard 1's backlog").isPositive();
        } finally {
            replicas.values().forEach(p -> p.stop(Duration.ofSeconds(5)));
        }
        assertThat(SchedulerITSupport.overcommittedNodes(admin)).isEmpty();
        AtomicReference<List<AuditLog.Event>> bindings = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    bindings.set(new AuditLog(cp.auditLog().orElseThrow()).bindings(ns));
                    return bindings.get().stream()
                                            .filter(e -> e.code() == 201)
                                            .map(AuditLog.Event::requestUri)
                                            .distinct()
                                            .count()
                                    >= 2000
                            || bindings.get().stream()
                                            .map(AuditLog.Event::requestUri)
                                            .distinct()
                                            .count()
                                    >= 2000;
                });
        Map<String, Long> successful = bindings.get().stream()
                .filter(e -> e.code() == 201)
                .collect(Collectors.groupingBy(AuditLog.Event::bindingPod, Collectors.counting()));
        assertThat(successful.values()).as("no pod was bound twice").allMatch(n -> n == 1);
        // a binding in flight when the leader was killed may have taken effect without its 201 being logged
        assertThat(2000 - successful.size())
                .isLessThanOrEqualTo(SchedulerSettings.defaults().bindConcurrency());
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
    }

    private static SchedulerProcess start(LocalControlPlane cp, QshardConfig cfg, int shard, String leases, String id) {
        var client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                "qshard-it-" + id);
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withElection(leases, id, LEASE, Duration.ofSeconds(4), Duration.ofSeconds(1));
        return SchedulerProcess.startInstances(
                client,
                cfg,
                ShippedPlugins.registry(),
                List.of(new SchedulerProcess.Instance(cfg.tier("prod"), shard)),
                settings,
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    private static int transitions(KubernetesClient admin, String ns, int shard) {
        Lease l =
                admin.leases().inNamespace(ns).withName("qshard-prod-" + shard).get();
        return l.getSpec().getLeaseTransitions() == null ? 0 : l.getSpec().getLeaseTransitions();
    }

    private static String holder(KubernetesClient admin, String ns, int shard) {
        Lease l =
                admin.leases().inNamespace(ns).withName("qshard-prod-" + shard).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }
}
