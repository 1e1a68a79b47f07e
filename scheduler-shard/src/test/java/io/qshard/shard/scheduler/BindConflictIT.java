package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGateBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.BindResult;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.localcluster.junit.RealControlPlane;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.binder.Binder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binder against the real apiserver's refusals: a pod already bound (to the node asked for, or to another), being
 * deleted, or missing — and what the runtime makes of "bound elsewhere": no reservation left behind. A pod bound by
 * someone else while qshard's binding is in flight cannot be timed through the informer (it shows the pod bound and
 * qshard never binds it), so the runtime's test plays the informer: it tells a real {@link TierScheduler} the pod is
 * pending while the API object is already bound to another node, and the real binder gets the apiserver's 409.
 */
@RealControlPlane
class BindConflictIT {
    private static final long GI = 1L << 30;
    /** Pods no scheduler of the cluster takes: only the test binds them. */
    private static final String NOBODY = "bind-conflict-it";

    @BeforeAll
    static void nodes(KubernetesClient admin) {
        for (String n : List.of("conflict-a", "conflict-b")) {
            admin.resource(NodeFixture.node(n).cpu("1").memory("4Gi").build()).create();
        }
        admin.resource(NodeFixture.node("gates-node").cpu("4").memory("8Gi").build())
                .create(); // room for the gated pod, whatever the conflict tests bound
    }

    private static Pod create(KubernetesClient admin, String ns, String name, String nodeName) {
        Pod p = PodFixture.pod(name)
                .namespace(ns)
                .tier("prod")
                .schedulerName(NOBODY)
                .cpuMilli(1000)
                .build();
        p.getSpec().setNodeName(nodeName);
        return admin.resource(p).create();
    }

    private static BindOutcome bind(Binder binder, Pod p, String node) throws Exception {
        CompletableFuture<BindOutcome> out = new CompletableFuture<>();
        binder.bind(
                p.getMetadata().getNamespace(),
                p.getMetadata().getName(),
                p.getMetadata().getUid(),
                node,
                out::complete);
        return out.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theApiserversRefusalsAreToldApart(KubernetesClient admin) throws Exception {
        String ns = Namespaces.fresh(admin, "bind-conflict");
        try (Binder binder = new Binder(admin, 2)) {
            Pod elsewhere = create(admin, ns, "elsewhere", "conflict-b"); // bound by someone else
            BindOutcome o = bind(binder, elsewhere, "conflict-a");
            assertThat(o.kind()).isEqualTo(BindOutcome.Kind.BOUND_ELSEWHERE);
            assertThat(o.message())
                    .isEqualTo("Operation cannot be fulfilled on pods/binding \"elsewhere\": pod elsewhere is already"
                            + " assigned to node \"conflict-b\"");
            BindResult r = ApiBind.result(o);
            assertThat(r.code()).isEqualTo(BindResult.Code.BOUND_ELSEWHERE);
            assertThat(r.placed())
                    .as("the runtime unreserves what is not placed")
                    .isFalse();
            assertThat(bind(binder, elsewhere, "conflict-b").kind()).isEqualTo(BindOutcome.Kind.ALREADY_BOUND);

            Pod fresh = create(admin, ns, "fresh", null);
            assertThat(bind(binder, fresh, "conflict-a")).isEqualTo(BindOutcome.BOUND);
            assertThat(bind(binder, fresh, "conflict-a").kind()).isEqualTo(BindOutcome.Kind.ALREADY_BOUND);
            assertThat(ApiBind.result(bind(binder, fresh, "conflict-a")).placed())
                    .as("an answer lost and retried to the same node: the placement stands")
                    .isTrue();
            assertThat(bind(binder, fresh, "conflict-b").kind()).isEqualTo(BindOutcome.Kind.BOUND_ELSEWHERE);

            Pod held = PodFixture.pod("deleting")
                    .namespace(ns)
                    .schedulerName(NOBODY)
                    .build();
            held.getMetadata().setFinalizers(List.of("example.com/hold"));
            held = admin.resource(held).create();
            admin.resource(held).withGracePeriod(0).delete();
            o = bind(binder, held, "conflict-a");
            assertThat(o.kind()).isEqualTo(BindOutcome.Kind.POD_GONE);
            assertThat(o.message()).endsWith("pod deleting is being deleted, cannot be assigned to a host");
            admin.pods().inNamespace(ns).withName("deleting").edit(p -> {
                p.getMetadata().setFinalizers(List.of());
                return p;
            });

            Pod missing = create(admin, ns, "missing", null);
            admin.resource(missing).withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            admin.pods().inNamespace(ns).withName("missing").get() == null);
            o = bind(binder, missing, "conflict-a");
            assertThat(o.kind()).isEqualTo(BindOutcome.Kind.POD_GONE);
            assertThat(o.message()).isEqualTo("pods \"missing\" not found");

            // kube-apiserver 1.20.2 does not check the Binding's uid (newer ones answer 409 "Precondition failed: UID
            // in precondition"): a pod re-created under the same name is bound by a binding decided for the old one
            Pod recreated = create(admin, ns, "missing", null);
            assertThat(recreated.getMetadata().getUid())
                    .isNotEqualTo(missing.getMetadata().getUid());
            assertThat(bind(binder, missing, "conflict-a")).isEqualTo(BindOutcome.BOUND);
        }
    }

    private static PodRequest pending(Pod p) {
        return new PodRequest(
                p.getMetadata().getUid(),
                p.getMetadata().getNamespace(),
                p.getMetadata().getName(),
                "prod",
                PoolRule.ALLOCATABLE,
                new Resources(1000, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                9000,
                Instant.now(),
                null,
                null);
    }

    private static Node node(String name) {
        return Node.of(name, Map.of("name", name), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false);
    }

    @Test
    void aPodBoundElsewhereWhileOurBindingIsInFlightLeavesNoReservation(KubernetesClient admin) {
        String ns = Namespaces.fresh(admin, "bind-elsewhere");
        QshardConfig config = QshardConfig.defaults();
        TierScheduler s = new TierScheduler(
                config.tier("prod"),
                0,
                config,
                ShippedPlugins.registry(),
                SchedulerSettings.defaults(),
                Clock.systemUTC(),
                SchedulerPorts.forApi(admin, config.tier("prod"), 0, SchedulerSettings.defaults(), Clock.systemUTC()));
        s.start();
        try {
            s.nodeUpserted(node("conflict-a")); // the instance places on conflict-a only (conflict-b: another shard's)
            Pod p = create(admin, ns, "p", "conflict-b"); // another writer bound p to conflict-b …
            s.podUpserted(pending(p), false, false); // … before qshard learnt it: qshard binds it to conflict-a
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> s.metrics().alreadyBound.sum() == 1);

            Pod q = create(admin, ns, "q", null);
            s.podUpserted(pending(q), false, false);
            // no watch event has moved p yet: q fits on conflict-a only if the 409 released p's reservation there
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "conflict-a"
                            .equals(admin.pods()
                                    .inNamespace(ns)
                                    .withName("q")
                                    .get()
                                    .getSpec()
                                    .getNodeName()));
            assertThat(s.metrics().bound.sum()).isEqualTo(1);
            assertThat(s.metrics().bindErrors.sum()).isZero();
            assertThat(admin.pods()
                            .inNamespace(ns)
                            .withName("p")
                            .get()
                            .getSpec()
                            .getNodeName())
                    .isEqualTo("conflict-b");
        } finally {
            s.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * kube-apiserver 1.20 drops {@code spec.schedulingGates} (a field it does not know) when the pod is created, so
     * the pod it keeps has no gates and qshard schedules it as any other (a 1.26+ apiserver keeps them and qshard's
     * SchedulingGates plugin holds the pod back: {@code SchedulingGatesTest}).
     */
    @Test
    void aPodCreatedWithSchedulingGatesOnThe120ApiserverIsScheduled(KubernetesClient admin, LocalControlPlane cp) {
        String ns = Namespaces.fresh(admin, "gates");
        SchedulerProcess scheduler = SchedulerITSupport.startProd(cp);
        try {
            Pod gated = PodFixture.pod("gated").namespace(ns).tier("prod").build();
            gated.getSpec()
                    .setSchedulingGates(List.of(new PodSchedulingGateBuilder()
                            .withName("example.com/not-yet")
                            .build()));
            Pod created = admin.resource(gated).create();
            assertThat(created.getSpec().getSchedulingGates())
                    .as("dropped by the 1.20 apiserver")
                    .isNullOrEmpty();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.pods()
                                    .inNamespace(ns)
                                    .withName("gated")
                                    .get()
                                    .getSpec()
                                    .getNodeName()
                            != null);
        } finally {
            scheduler.stop(Duration.ofSeconds(5));
        }
    }
}
