package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.localcluster.AuditLog;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the prod tier electing on the Lease {@code qshard-prod-0} (lease 4 s, renew deadline 3 s, retry
 * 500 ms) and a backlog of 600 pods of 500m for 300 API-only nodes of one core. While the leader is binding, the Lease
 * is taken from it: its holder becomes a third identity, as when another replica won it while this one could not
 * renew. The leader must stop deciding when it sees that (bindings already in flight may still land); the standby must
 * win the Lease once the thief's term expires and finish the backlog. The pods fit exactly (two per node) and only half
 * the nodes exist until the old leader has stopped, so the standby has the other half of the backlog to place and a
 * node given one pod too many shows. Audited from the API and the apiserver's audit log: every pod bound exactly once
 * (one successful {@code pods/binding} create per pod), no node over its allocatable, every pod on the late nodes bound
 * by the standby.
 */
@RealControlPlane
class LeaseLossIT {
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final int NODES = 300;
    private static final int PODS = 600;
    /** What fits on the first half of the nodes: two 500m pods per one-core node. */
    private static final int PLACEABLE_EARLY = PODS / 2;

    private static final String TAINT = "qshard.io/lease-loss-it";
    private static final String THIEF = "lease-thief";
    private static final String LEASE_NAME = "qshard-prod-0";

    @Test
    void aLeaderThatLosesItsLeaseMidBacklogStopsAndTheStandbyFinishesTheBacklog(
            KubernetesClient admin, LocalControlPlane cp) {
        String leases = Namespaces.fresh(admin, "leases");
        String ns = Namespaces.fresh(admin, "leaseloss");
        Bulk.create(admin, nodes(0, NODES / 2, ns), 16);
        QshardConfig cfg = QshardConfig.defaults();
        Map<String, SchedulerProcess> replicas = new HashMap<>();
        for (String id : List.of("lease-a", "lease-b")) {
            replicas.put(id, start(cp, cfg, leases, id));
        }
        Thread backlog = new Thread(() -> Bulk.create(admin, pods(ns), 8), "backlog");
        backlog.setDaemon(true);
        long boundBefore;
        long boundAfter;
        long boundAtStop;
        String leader;
        String standby;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> holder(admin, leases) != null);
            leader = holder(admin, leases);
            standby = leader.equals("lease-a") ? "lease-b" : "lease-a";
            TierScheduler leading = replicas.get(leader).schedulers().get(0);
            TierScheduler standing = replicas.get(standby).schedulers().get(0);
            await().atMost(Duration.ofSeconds(10)).until(leading::leading);
            assertThat(standing.leading()).as("the standby before the take").isFalse();

            backlog.start();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> leading.metrics().bound.sum() >= 30);
            boundBefore = SchedulerITSupport.boundIn(admin, ns);
            String previous = take(admin, leases);
            boundAfter = SchedulerITSupport.boundIn(admin, ns);
            assertThat(previous).as("holder when the Lease was taken").isEqualTo(leader);
            System.out.printf(
                    "Lease taken from %s with %d of %d pods bound (%d just before)%n",
                    leader, boundAfter, PODS, boundBefore);
            assertThat(boundBefore).as("pods bound before the Lease was taken").isPositive();
            assertThat(boundAfter)
                    .as("pods bound once it was taken: the leader still had pods it could place")
                    .isLessThan(PLACEABLE_EARLY);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !leading.leading());
            boundAtStop = SchedulerITSupport.boundIn(admin, ns);
            assertThat(holder(admin, leases))
                    .as("nobody but the thief holds the Lease yet")
                    .isEqualTo(THIEF);
            Bulk.create(admin, nodes(NODES / 2, NODES, ns), 16); // room for the rest, only now

            await().atMost(Duration.ofSeconds(30)).until(() -> standby.equals(holder(admin, leases)));
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> SchedulerITSupport.boundIn(admin, ns) == PODS);
            assertThat(standing.leading()).as("the standby leads").isTrue();
            assertThat(leading.leading()).as("the old leader stays a standby").isFalse();
            join(backlog);
        } finally {
            replicas.values().forEach(p -> p.stop(Duration.ofSeconds(5)));
        }

        List<Pod> pods = admin.pods().inNamespace(ns).list().getItems();
        Set<String> late = new HashSet<>();
        for (int i = NODES / 2; i < NODES; i++) {
            late.add(nodeName(i));
        }
        assertThat(pods)
                .hasSize(PODS)
                .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).startsWith("ll-"));
        assertThat(SchedulerITSupport.overcommittedNodes(admin))
                .as("nodes whose kubelet would refuse a pod")
                .isEmpty();

        AtomicReference<List<AuditLog.Event>> bindings = new AtomicReference<>();
        AuditLog audit = new AuditLog(cp.auditLog().orElseThrow());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    bindings.set(audit.bindings(ns));
                    return bindings.get().stream().filter(e -> e.code() == 201).count() >= PODS;
                });
        Map<String, Long> successful = bindings.get().stream()
                .filter(e -> e.code() == 201)
                .collect(Collectors.groupingBy(AuditLog.Event::bindingPod, Collectors.counting()));
        assertThat(successful).as("pods with a successful binding").hasSize(PODS);
        assertThat(successful.values()).as("no pod was bound twice").allMatch(n -> n == 1);
        Map<String, String> binder = bindings.get().stream()
                .filter(e -> e.code() == 201)
                .collect(Collectors.toMap(AuditLog.Event::bindingPod, AuditLog.Event::userAgent));
        long byLeader = binder.values().stream().filter(agent(leader)::equals).count();
        long byStandby = binder.values().stream().filter(agent(standby)::equals).count();
        long refused = bindings.get().stream().filter(e -> e.code() != 201).count();
        System.out.printf(
                "bound by the old leader %d (%d when it stopped), by the standby %d; bindings refused %d%n",
                byLeader, boundAtStop, byStandby, refused);
        assertThat(byLeader + byStandby)
                .as("every binding came from one of the two replicas")
                .isEqualTo(PODS);
        assertThat(byLeader - boundAtStop)
                .as("bindings of the old leader that landed after it stopped: in flight then")
                .isLessThanOrEqualTo(SchedulerSettings.defaults().bindConcurrency() + 1);
        assertThat(pods)
                .filteredOn(p -> late.contains(p.getSpec().getNodeName()))
                .as("pods on the late nodes")
                .hasSize(PODS - PLACEABLE_EARLY)
                .allSatisfy(p -> assertThat(binder.get(p.getMetadata().getName()))
                        .as(p.getMetadata().getName())
                        .isEqualTo(agent(standby)));
        admin.pods().inNamespace(ns).withGracePeriod(0).delete();
        admin.nodes().withLabel(TAINT).delete();
    }

    /**
     * Gives the Lease to {@link #THIEF} for one lease duration from now, by an update at the resource version read (the
     * holder renews every retry period: a conflict means it renewed in between, so read again); returns the holder it
     * had.
     */
    private static String take(KubernetesClient admin, String leases) {
        for (int attempt = 1; ; attempt++) {
            Lease l = admin.leases().inNamespace(leases).withName(LEASE_NAME).get();
            String previous = l.getSpec().getHolderIdentity();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            l.getSpec().setHolderIdentity(THIEF);
            l.getSpec().setAcquireTime(now);
            l.getSpec().setRenewTime(now);
            l.getSpec().setLeaseDurationSeconds((int) LEASE.toSeconds());
            l.getSpec()
                    .setLeaseTransitions(
                            l.getSpec().getLeaseTransitions() == null
                                    ? 1
                                    : l.getSpec().getLeaseTransitions() + 1);
            try {
                admin.leases().inNamespace(leases).resource(l).update();
                return previous;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static String holder(KubernetesClient admin, String leases) {
        Lease l = admin.leases().inNamespace(leases).withName(LEASE_NAME).get();
        return l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    }

    private static SchedulerProcess start(LocalControlPlane cp, QshardConfig cfg, String leases, String id) {
        KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                        cp.kubeconfig().toFile()),
                agent(id));
        SchedulerSettings settings = SchedulerSettings.defaults()
                .withElection(leases, id, LEASE, Duration.ofSeconds(3), Duration.ofMillis(500));
        return SchedulerProcess.start(
                client,
                cfg,
                ShippedPlugins.registry(),
                List.of(cfg.tier("prod")),
                settings,
                Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    private static String agent(String id) {
        return "qshard-it-" + id;
    }

    private static String nodeName(int i) {
        return String.format("ll-%04d", i);
    }

    /** One-core nodes {@code from..to-1}, tainted and labelled so that only this test's pods go there. */
    private static List<Node> nodes(int from, int to, String ns) {
        List<Node> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(NodeFixture.node(nodeName(i))
                    .cpu("1")
                    .memory("4Gi")
                    .label(TAINT, ns)
                    .taint(TAINT, ns, "NoSchedule")
                    .build());
        }
        return out;
    }

    private static List<Pod> pods(String ns) {
        List<Pod> out = new ArrayList<>();
        for (int i = 0; i < PODS; i++) {
            out.add(PodFixture.pod("p-" + i)
                    .namespace(ns)
                    .tier("prod")
                    .cpuMilli(500)
                    .memoryMi(256)
                    .nodeSelector(TAINT, ns)
                    .tolerate(TAINT)
                    .build());
        }
        return out;
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the backlog to be created", e);
        }
    }
}
