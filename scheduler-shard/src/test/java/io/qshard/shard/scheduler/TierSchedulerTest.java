package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.PreEnqueuePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.shard.binder.BindOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler runtime without an apiserver: its decision thread is real, its ports are doubles the test drives — a
 * binder whose answers the test gives ({@link HeldBinder}) and a reporter that records ({@link RecordingReporter}).
 * The test plays the informer: it delivers nodes and pods, and confirms each written binding as a watch event would.
 */
class TierSchedulerTest {
    private static final long GI = 1L << 30;
    private static final Instant T0 = Instant.now();

    private final RecordingReporter reporter = new RecordingReporter();
    private TierScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.kill();
        }
    }

    private TierScheduler start(
            QshardConfig config, PluginRegistry registry, SchedulerSettings settings, HeldBinder binder) {
        scheduler = new TierScheduler(
                config.tier("prod"),
                0,
                config,
                registry,
                settings,
                Clock.systemUTC(),
                new SchedulerPorts(binder, reporter, null, null));
        scheduler.start();
        return scheduler;
    }

    private static Node node(String name) {
        return Node.of(name, Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false);
    }

    /** A pending prod pod asking for a whole test node's cpu. */
    private static PodRequest pod(String name, Map<String, String> selector) {
        return new PodRequest(
                "uid-" + name,
                "ns",
                name,
                "prod",
                PoolRule.ALLOCATABLE,
                new Resources(1000, GI, 1, 0, 0),
                selector,
                null,
                List.of(),
                9000,
                T0,
                null,
                null);
    }

    /** Answers the oldest binding in flight and, when BOUND, confirms it as the pod watch would. */
    private void answer(HeldBinder binder, BindOutcome.Kind kind) {
        HeldBinder.Call c = binder.oldestInFlight();
        binder.answer(kind);
        if (kind == BindOutcome.Kind.BOUND) {
            scheduler.podUpserted(pod(c.name(), Map.of()).boundTo(c.node()), false, false);
        }
    }

    @Test
    void aFailedBindingIsUnreservedAndRetriedOnTheRoomItFreed() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s =
                start(QshardConfig.defaults(), ShippedPlugins.registry(), SchedulerSettings.defaults(), binder);
        s.nodeUpserted(node("a"));
        s.nodeUpserted(node("b"));
        s.podUpserted(pod("p1", Map.of()), false, false);
        await().until(() -> binder.sent().size() == 1);
        String first = binder.sent().get(0).node();

        s.podUpserted(pod("p2", Map.of()), false, false);
        await().until(() -> binder.sent().size() == 2);
        // p1 was assumed on its node before its binding was written: p2 (one node's worth of cpu) went to the other
        String second = binder.sent().get(1).node();
        assertThat(second).isNotEqualTo(first);

        answer(binder, BindOutcome.Kind.FAILED); // p1's binding fails: unreserved, retried after its backoff (1 s)
        await().atMost(Duration.ofSeconds(20)).until(() -> binder.sent().size() == 3);
        // only unreserving p1 frees its node: without it both nodes would be full and p1 unschedulable
        assertThat(binder.sent().get(2))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("p1", first);

        answer(binder, BindOutcome.Kind.BOUND); // p2
        answer(binder, BindOutcome.Kind.BOUND); // p1, second attempt
        s.podUpserted(pod("p3", Map.of()), false, false); // no room left anywhere
        await().until(() ->
                s.metrics().bound.sum() == 2 && s.metrics().unschedulable.sum() >= 1);
        assertThat(s.metrics().bindErrors.sum()).isEqualTo(1);
        assertThat(reporter.reports)
                .contains("scheduled ns/p1 " + first, "scheduled ns/p2 " + second)
                .contains("unschedulable ns/p3: 0/2 nodes are available: 2 Insufficient cpu.");
        assertThat(binder.boundPerUid()).containsExactlyInAnyOrderEntriesOf(Map.of("uid-p1", 1, "uid-p2", 1));
    }

    @Test
    void aLeaderThatLosesItsLeaseMidBatchSendsNothingMoreAndItsSuccessorBindsEachPodOnce() {
        HeldBinder binder = new HeldBinder(4, 1); // 4 in flight, 1 decided ahead: what --bind-concurrency 4 gives
        SchedulerSettings elected = new SchedulerSettings(4, 10, 50)
                .withElection(
                        "qshard-system", "me", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        TierScheduler s = start(QshardConfig.defaults(), ShippedPlugins.registry(), elected, binder);
        for (int i = 0; i < 10; i++) {
            s.nodeUpserted(node("n" + i));
            s.podUpserted(pod("p" + i, Map.of()), false, false);
        }
        assertThat(s.notReadyReason()).hasValueSatisfying(why -> assertThat(why).contains("standby"));
        s.lead(true);
        await().until(() ->
                binder.sent().size() == 4 && binder.queued() == 1); // the decision thread now waits for room

        s.lead(false); // lease lost mid-batch: the binding decided ahead is abandoned, unreserved and requeued
        for (int i = 0; i < 4; i++) {
            answer(binder, BindOutcome.Kind.BOUND); // the four already sent complete
        }
        await().until(() -> s.metrics().bound.sum() == 4 && s.queueSizes().pending() == 6);
        assertThat(binder.sent()).as("no binding sent while standing by").hasSize(4);

        s.lead(true); // leading again (or: the successor's view): the six left are bound, each once
        while (binder.boundPerUid().size() < 10) {
            await().until(() -> binder.oldestInFlight() != null);
            answer(binder, BindOutcome.Kind.BOUND);
        }
        assertThat(binder.boundPerUid().values()).containsOnly(1);
        Set<String> nodes = new HashSet<>();
        binder.sent().forEach(c -> nodes.add(c.node()));
        assertThat(nodes).as("one pod per node: no node overcommitted").hasSize(10);
        assertThat(binder.sent()).hasSize(10);
    }

    /** Holds back pods whose nodeSelector names {@code example.com/gated} (as scheduling gates would). */
    static final class TestGate implements PreEnqueuePlugin {
        @Override
        public String name() {
            return "TestGate";
        }

        @Override
        public Status preEnqueue(PodRequest pod) {
            return pod.nodeSelector().containsKey("example.com/gated")
                    ? Status.unschedulable("TestGate", "gated")
                    : Status.SUCCESS;
        }
    }

    @Test
    void gatedAndForeignPodsAreNeverBoundButForeignPodsAreAccounted() {
        PluginRegistry registry = ShippedPlugins.registry().register("TestGate", ctx -> new TestGate());
        QshardConfig config = new QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, NodeAffinity, LeastAllocated, TestGate]}]",
                        "t");
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(config, registry, SchedulerSettings.defaults(), binder);
        s.nodeUpserted(node("n1"));
        s.nodeUpserted(node("n2"));
        PodRequest foreignBound = new PodRequest(
                "uid-f",
                "ns",
                "f",
                null,
                PoolRule.ALLOCATABLE,
                new Resources(1000, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                0,
                T0,
                null,
                "n1"); // the default scheduler's pod fills n1
        PodRequest foreignPending = new PodRequest(
                "uid-o",
                "ns",
                "o",
                "other",
                PoolRule.ALLOCATABLE,
                new Resources(1, 1, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                0,
                T0,
                null,
                null);
        s.podUpserted(foreignBound, false, false);
        s.podUpserted(foreignPending, false, false);
        s.podUpserted(pod("g", Map.of("example.com/gated", "true")), false, false);
        s.podUpserted(pod("p", Map.of()), false, false);

        await().until(() -> binder.sent().size() == 1);
        assertThat(binder.sent().get(0))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("p", "n2");
        answer(binder, BindOutcome.Kind.BOUND);
        await().until(() -> s.metrics().bound.sum() == 1);
        assertThat(s.queueSizes().gated()).isEqualTo(1);
        assertThat(binder.sent())
                .as("neither the gated nor the foreign pending pod")
                .hasSize(1);

        s.podDeleted("uid-f"); // n1 is free again
        s.podUpserted(pod("g", Map.of()), false, false); // its gate is lifted
        await().until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().get(1))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("g", "n1");
        assertThat(s.queueSizes().gated()).isZero();
    }

    /** A profile reserver (a quota, say) that records what it is told. */
    static final class Quota implements io.qshard.core.framework.ReservePlugin {
        static final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "Quota";
        }

        @Override
        public Status reserve(io.qshard.core.framework.CycleState state, PodRequest pod, String nodeName) {
            calls.add("reserve " + pod.name());
            return Status.SUCCESS;
        }

        @Override
        public void unreserve(io.qshard.core.framework.CycleState state, PodRequest pod, String nodeName) {
            calls.add("unreserve " + pod.name());
        }
    }

    /**
     * The watch confirmed the pod on its node before its binding's answer said it failed: the pod keeps its node (the
     * API is the truth; the runtime's cache reservation is not undone), but every profile Unreserve plugin still runs,
     * as in kube-scheduler (VolumeBinding forgets the PVs it assumed).
     */
    @Test
    void aBindingThatFailsAfterTheWatchConfirmedThePodKeepsItsNodeAndStillRunsUnreservePlugins() {
        Quota.calls.clear();
        PluginRegistry registry = ShippedPlugins.registry().register("Quota", ctx -> new Quota());
        QshardConfig config = new QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, Quota]}]",
                        "t");
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(config, registry, SchedulerSettings.defaults(), binder);
        s.nodeUpserted(node("n1"));
        s.nodeUpserted(node("n2"));
        s.podUpserted(pod("p", Map.of()), false, false);
        await().until(() -> binder.sent().size() == 1);
        HeldBinder.Call c = binder.oldestInFlight();
        s.podUpserted(pod("p", Map.of()).boundTo(c.node()), false, false); // the watch shows it bound …
        binder.answer(BindOutcome.Kind.FAILED); // … and then its binding's answer says it failed (a late timeout, say)

        s.podUpserted(pod("q", Map.of()), false, false); // a barrier: the decision thread handles events in order
        await().until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().get(1).node()).as("p still holds its node").isNotEqualTo(c.node());
        assertThat(Quota.calls).containsExactly("reserve p", "unreserve p", "reserve q");
        assertThat(s.metrics().bindErrors.sum()).isEqualTo(1);
    }

    /** A foreign pod (100 millicpu) with {@code app=<app>}, bound to node {@code z}. */
    private static PodRequest boundApp(String name, String app) {
        return new PodRequest(
                        "uid-" + name,
                        "ns",
                        name,
                        null,
                        PoolRule.ALLOCATABLE,
                        new Resources(100, GI, 1, 0, 0),
                        Map.of(),
                        null,
                        List.of(),
                        0,
                        T0,
                        null,
                        "z")
                .withTopology(Map.of("app", app), PodAffinity.NONE, List.of());
    }

    /**
     * A pending pod that requires an app=x pod in its zone is found unschedulable, then an app=x pod is bound (through
     * the informer, or assumed by another tier of the process): the waiting pod is scheduled at once — as
     * kube-scheduler 1.20 requeues it on AssignedPodAdded — not after the 60 s unschedulable timeout (the await's
     * deadline is well below it). An app=y pod bound meanwhile leaves it waiting.
     */
    private void aPodWaitingForItsAffinityPartnerIsScheduledWhenOneIsBound(boolean byPeerTier) {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s =
                start(QshardConfig.defaults(), ShippedPlugins.registry(), SchedulerSettings.defaults(), binder);
        s.nodeUpserted(Node.of("z", Map.of("zone", "z1"), List.of(), new Resources(10_000, 40 * GI, 110, 0, 0), false));
        PodAffinityTerm nearX =
                new PodAffinityTerm(LabelSelector.of(Map.of("app", "x"), List.of()), Set.of("ns"), null, "zone");
        PodRequest waiting = pod("w", Map.of())
                .withTopology(
                        Map.of("app", "w"),
                        new PodAffinity(List.of(nearX), List.of(), List.of(), List.of()),
                        List.of());
        s.podUpserted(waiting, false, false);
        await().until(() -> reporter.reports.stream().anyMatch(r -> r.startsWith("unschedulable ns/w: ")));
        assertThat(s.queueSizes().unschedulable()).isEqualTo(1);

        s.podUpserted(boundApp("y", "y"), false, false); // not its partner
        s.podUpserted(pod("barrier", Map.of()), false, false); // events are handled in order: y's came first
        await().until(() -> binder.sent().size() == 1);
        assertThat(binder.sent().get(0).name()).isEqualTo("barrier");
        assertThat(s.queueSizes().unschedulable())
                .as("an app=y pod does not wake w")
                .isEqualTo(1);

        if (byPeerTier) {
            s.peerAssumed(boundApp("x", "x"));
        } else {
            s.podUpserted(boundApp("x", "x"), false, false);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().get(1))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("w", "z");
    }

    @Test
    void aPodWaitingForItsAffinityPartnerIsScheduledWhenTheInformerShowsOneBound() {
        aPodWaitingForItsAffinityPartnerIsScheduledWhenOneIsBound(false);
    }

    @Test
    void aPodWaitingForItsAffinityPartnerIsScheduledWhenAnotherTierAssumesOne() {
        aPodWaitingForItsAffinityPartnerIsScheduledWhenOneIsBound(true);
    }
}
