package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.shard.binder.BindOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the runtime does with a binding the apiserver refused because the pod is bound already (a 409, told apart by
 * the binder): bound elsewhere, its reservation is released at once; bound to the node it was reserved on, the
 * placement stands. The runtime is real; the binder's answers and the informer's events come from the test.
 */
class BindConflictTest {
    private static final long GI = 1L << 30;
    private static final Instant T0 = Instant.now();

    private final RecordingReporter reporter = new RecordingReporter();
    private final HeldBinder binder = new HeldBinder(32, 8);
    private TierScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.kill();
        }
    }

    private TierScheduler start() {
        scheduler = new TierScheduler(
                QshardConfig.defaults().tier("prod"),
                0,
                QshardConfig.defaults(),
                ShippedPlugins.registry(),
                SchedulerSettings.defaults(),
                Clock.systemUTC(),
                new SchedulerPorts(binder, reporter, null, null));
        scheduler.start();
        return scheduler;
    }

    /** A node of 1000 millicpu labelled {@code name=<name>}. */
    private static Node node(String name) {
        return Node.of(name, Map.of("name", name), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false);
    }

    /** A pending prod pod asking for a whole node's cpu. */
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

    /** The outcome the binder gives for kube-apiserver's "already assigned" Conflict. */
    private static BindOutcome assigned(BindOutcome.Kind kind, String pod, String node) {
        return new BindOutcome(
                kind,
                "Operation cannot be fulfilled on pods/binding \"" + pod + "\": pod " + pod
                        + " is already assigned to node \"" + node + "\"");
    }

    /**
     * The pod was bound to a node this instance does not place on (another shard's, say): no watch event moves it
     * off the node it was reserved on, so only the binder's answer can free that node — at once.
     */
    @Test
    void aPodBoundElsewhereLeavesNoReservationOnTheNodeItWasDecidedFor() {
        TierScheduler s = start();
        s.nodeUpserted(node("a"));
        s.podUpserted(pod("p", Map.of()), false, false);
        await().until(() -> binder.sent().size() == 1);
        assertThat(binder.sent().get(0).node()).isEqualTo("a");

        binder.answer(assigned(BindOutcome.Kind.BOUND_ELSEWHERE, "p", "b")); // someone else bound p to b first
        s.podUpserted(pod("q", Map.of()), false, false);

        // a is the only node: q fits only if p's reservation on it was released
        await().until(() -> binder.sent().size() == 2);
        assertThat(binder.sent().get(1))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("q", "a");
        assertThat(s.metrics().alreadyBound.sum()).isEqualTo(1);
        assertThat(s.metrics().bound.sum()).isZero();
        assertThat(s.metrics().bindErrors.sum()).isZero();
        assertThat(s.queueSizes().pending()).as("p was dropped, not requeued").isZero();
        assertThat(s.queueSizes().inFlight()).as("q only").isEqualTo(1);
        assertThat(reporter.reports).noneMatch(r -> r.contains("ns/p"));
    }

    @Test
    void aPodAlreadyOnTheNodeItWasDecidedForKeepsItsPlacement() {
        TierScheduler s = start();
        s.nodeUpserted(node("a"));
        s.podUpserted(pod("p", Map.of()), false, false);
        await().until(() -> binder.sent().size() == 1);

        binder.answer(assigned(BindOutcome.Kind.ALREADY_BOUND, "p", "a")); // an earlier answer was lost, say
        s.podUpserted(pod("q", Map.of()), false, false);

        await().until(() -> reporter.reports.stream().anyMatch(r -> r.startsWith("unschedulable ns/q")));
        assertThat(reporter.reports)
                .contains("scheduled ns/p a", "unschedulable ns/q: 0/1 nodes are available: 1 Insufficient cpu.");
        assertThat(s.metrics().bound.sum()).isEqualTo(1);
        assertThat(s.metrics().alreadyBound.sum()).isZero();
        assertThat(binder.sent()).hasSize(1);
    }
}
