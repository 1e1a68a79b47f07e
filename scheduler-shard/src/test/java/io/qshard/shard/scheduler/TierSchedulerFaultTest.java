package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.testing.HandClock;
import io.qshard.shard.binder.BindOutcome;
import io.qshard.shard.status.StatusReporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 26: the decision loop survives a pod whose decision throws (a plugin's or a port's bug) — the pod is retried
 * with backoff and nothing it reserved leaks, the other pods bind — and a loop that dies anyway (the test hook's
 * {@link Error}) says so at once through its heartbeat; a loop waiting on a full binder still beats.
 */
class TierSchedulerFaultTest {
    private static final long GI = 1L << 30;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TierScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.kill();
        }
    }

    /** A Reserve plugin that throws for the pod named "bad" while {@link #broken}. */
    static final class Flaky implements ReservePlugin {
        static volatile boolean broken = true;

        @Override
        public String name() {
            return "Flaky";
        }

        @Override
        public Status reserve(CycleState state, PodRequest pod, String nodeName) {
            if (broken && pod.name().equals("bad")) {
                throw new IllegalStateException("Flaky cannot reserve " + pod.name());
            }
            return Status.SUCCESS;
        }

        @Override
        public void unreserve(CycleState state, PodRequest pod, String nodeName) {}
    }

    private TierScheduler start(
            QshardConfig config, PluginRegistry registry, Clock clock, HeldBinder binder, StatusReporter reporter) {
        scheduler = new TierScheduler(
                config.tier("prod"),
                0,
                config,
                registry,
                SchedulerSettings.defaults(),
                clock,
                new SchedulerPorts(binder, reporter, null, null));
        scheduler.start();
        return scheduler;
    }

    private static Node node(String name) {
        return Node.of(name, Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false);
    }

    /** A pending prod pod asking for {@code milliCpu} (a test node has 1000m). */
    private static PodRequest pod(String name, long milliCpu) {
        return new PodRequest(
                "uid-" + name,
                "ns",
                name,
                "prod",
                PoolRule.ALLOCATABLE,
                new Resources(milliCpu, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                9000,
                T0,
                null,
                null);
    }

    @Test
    void aPodWhoseDecisionThrowsIsRetriedWithBackoffItsReservationUndoneAndTheOthersBind() {
        Flaky.broken = true;
        PluginRegistry registry = ShippedPlugins.registry().register("Flaky", ctx -> new Flaky());
        QshardConfig config = new QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, Flaky]}]",
                        "t");
        HeldBinder binder = new HeldBinder(32, 8);
        RecordingReporter reporter = new RecordingReporter();
        TierScheduler s = start(config, registry, Clock.systemUTC(), binder, reporter);
        s.nodeUpserted(node("a"));
        s.nodeUpserted(node("b"));
        s.podUpserted(pod("bad", 1000), false, false);
        // retried with backoff (1 s, then 2 s …) and failing each time: counted and told each time, the loop goes on
        await().atMost(Duration.ofSeconds(20)).until(() -> s.metrics().errors.sum() >= 2);
        assertThat(reporter.reports)
                .contains("unschedulable ns/bad: scheduler error (retrying with backoff): "
                        + "java.lang.IllegalStateException: Flaky cannot reserve bad");
        assertThat(binder.sent()).isEmpty();

        // two nodes, each room for one pod: had "bad" kept the room it was assumed on, one of these would not fit
        s.podUpserted(pod("good1", 1000), false, false);
        s.podUpserted(pod("good2", 1000), false, false);
        await().until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().stream().map(HeldBinder.Call::node).collect(Collectors.toSet()))
                .isEqualTo(Set.of("a", "b"));
        assertThat(binder.sent()).extracting(HeldBinder.Call::name).containsExactlyInAnyOrder("good1", "good2");
        binder.answer(BindOutcome.Kind.BOUND);
        binder.answer(BindOutcome.Kind.BOUND);
        assertThat(s.isRunning()).isTrue();
        assertThat(s.heartbeat().isFatal()).isFalse();

        Flaky.broken = false; // the bug is gone: its next retry binds it on the node added for it
        s.nodeUpserted(node("c"));
        await().atMost(Duration.ofSeconds(30)).until(() -> binder.sent().size() == 3);
        assertThat(binder.sent().get(2))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("bad", "c");
    }

    /** A status reporter with a bug: it throws when told about the pod named "whale". */
    static final class ThrowsForWhale implements StatusReporter {
        @Override
        public void scheduled(PodRequest pod, String node) {}

        @Override
        public void unschedulable(PodRequest pod, String message) {
            if (pod.name().equals("whale")) {
                throw new IllegalStateException("the reporter cannot tell " + pod.name());
            }
        }

        @Override
        public void forget(String uid) {}

        @Override
        public long written() {
            return 0;
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {}
    }

    @Test
    void aPortThatThrowsForOnePodAfterTheDecisionDoesNotStopTheLoop() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(
                QshardConfig.defaults(), ShippedPlugins.registry(), Clock.systemUTC(), binder, new ThrowsForWhale());
        s.nodeUpserted(node("a"));
        s.podUpserted(pod("whale", 100_000), false, false); // fits nowhere; telling it so throws
        await().until(() -> s.metrics().unschedulable.sum() >= 1);
        s.podUpserted(pod("small", 100), false, false);
        await().until(() -> binder.sent().size() == 1);
        assertThat(binder.sent().get(0).name()).isEqualTo("small");
        // the failure, and the error report that failed as well
        assertThat(s.metrics().errors.sum()).isGreaterThanOrEqualTo(2);
        assertThat(s.isRunning()).isTrue();
        assertThat(s.queueSizes().pending()).as("the whale waits in the queue").isEqualTo(1);
    }

    @Test
    void theTestHookKillsTheLoopAndItsHeartbeatIsFatalAtOnce() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(
                QshardConfig.defaults(), ShippedPlugins.registry(), Clock.systemUTC(), binder, new RecordingReporter());
        s.nodeUpserted(node("a"));
        assertThat(s.heartbeat().isFatal()).isFalse();

        s.injectFatalError("killed by the test");
        await().until(() -> !s.isRunning());
        assertThat(s.heartbeat().cause())
                .get()
                .isInstanceOf(TierScheduler.InjectedFault.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("killed by the test");
        assertThat(s.notReadyReason()).contains("tier prod shard 0: decision thread not running");
        s.podUpserted(pod("p", 100), false, false);
        assertThat(binder.sent()).as("a dead loop decides nothing").isEmpty();
    }

    @Test
    void theLoopBeatsWhileItWaitsForBinderCapacity() {
        HandClock clock = new HandClock(T0);
        HeldBinder binder = new HeldBinder(1, 0); // full after one binding
        TierScheduler s =
                start(QshardConfig.defaults(), ShippedPlugins.registry(), clock, binder, new RecordingReporter());
        s.nodeUpserted(node("a"));
        s.nodeUpserted(node("b"));
        s.podUpserted(pod("p1", 1000), false, false);
        s.podUpserted(pod("p2", 1000), false, false);
        await().until(() -> binder.sent().size() == 1 && s.queueSizes().inFlight() == 2); // p2 popped, waiting

        clock.advance(TierScheduler.HEARTBEAT_MAX_AGE.multipliedBy(2));
        assertThat(s.heartbeat().age()).isGreaterThan(TierScheduler.HEARTBEAT_MAX_AGE);
        await().until(() -> s.heartbeat().age().isZero()); // beaten after the jump, while still waiting
        assertThat(binder.sent()).as("still waiting for a slot").hasSize(1);

        binder.answer(BindOutcome.Kind.BOUND);
        await().until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().get(1).name()).isEqualTo("p2");
    }

    @Test
    void aBinderThatNeverFreesCapacityEndsTheLoopInsteadOfBeatingForever() {
        HandClock clock = new HandClock(T0);
        HeldBinder binder = new HeldBinder(1, 0); // full after one binding, whose answer never comes
        TierScheduler s =
                start(QshardConfig.defaults(), ShippedPlugins.registry(), clock, binder, new RecordingReporter());
        s.nodeUpserted(node("a"));
        s.podUpserted(pod("p1", 1000), false, false);
        s.podUpserted(pod("p2", 1000), false, false);
        await().until(() -> binder.sent().size() == 1 && s.queueSizes().inFlight() == 2); // p2 popped, waiting

        // defaults: volume bind timeout 120 s + 2 × 30 s + 60 s = 240 s < 5 min, so the stall limit is 5 min
        clock.advance(TierScheduler.MIN_BINDER_STALL.minusSeconds(10));
        await().until(() -> s.heartbeat().age().isZero()); // still waiting, still beating
        assertThat(s.heartbeat().isFatal()).isFalse();

        clock.advance(Duration.ofSeconds(20)); // 5 min 10 s without a freed slot
        await().until(() -> s.heartbeat().isFatal());
        assertThat(s.heartbeat().cause())
                .isPresent()
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("the binder freed no capacity for 300 s");
        assertThat(binder.sent()).as("p2 never sent").hasSize(1);
    }
}
