package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.shard.preemption.PreemptionWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime around the prod tier's PostFilter, without an apiserver: what it hands the {@link PreemptionWriter}, the
 * nomination it keeps meanwhile, and the binding once the victims are gone. One node of 1000m.
 */
class TierSchedulerPreemptionTest {
    private static final long GI = 1L << 30;
    private static final Instant T0 = Instant.now();

    private record Preempted(String preemptor, String node, List<String> victims, List<String> cleared) {}

    private final List<Preempted> preempted = new CopyOnWriteArrayList<>();
    private final List<String> clearedAlone = new CopyOnWriteArrayList<>();
    /** When set, the writer reports every preemption's first delete as failed. */
    private volatile boolean deletesFail;

    private final PreemptionWriter writer = new PreemptionWriter() {
        @Override
        public void preempt(
                PodRequest p, String node, List<PodRequest> victims, List<PodRequest> lower, Runnable deleteFailed) {
            preempted.add(new Preempted(
                    p.name(),
                    node,
                    victims.stream().map(PodRequest::name).toList(),
                    lower.stream().map(PodRequest::name).toList()));
            if (deletesFail) {
                deleteFailed.run();
            }
        }

        @Override
        public void clearNomination(PodRequest pod) {
            clearedAlone.add(pod.name());
        }

        @Override
        public long deleted() {
            return 0;
        }

        @Override
        public long failures() {
            return 0;
        }

        @Override
        public void close() {}
    };
    private TierScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.kill();
        }
    }

    private TierScheduler start(HeldBinder binder) {
        QshardConfig config = QshardConfig.defaults();
        scheduler = new TierScheduler(
                config.tier("prod"),
                0,
                config,
                ShippedPlugins.registry(),
                SchedulerSettings.defaults(),
                Clock.systemUTC(),
                new SchedulerPorts(
                        binder, new RecordingReporter(), null, null, io.qshard.shard.volume.VolumeWriter.NONE, writer));
        scheduler.start();
        return scheduler;
    }

    private static PodRequest pod(String name, String tier, PoolRule rule, int priority, String node) {
        return new PodRequest(
                "uid-" + name,
                "ns",
                name,
                tier,
                rule,
                new Resources(1000, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                priority,
                T0,
                null,
                node);
    }

    @Test
    void victimsAndLowerNominationsGoToTheWriterAndThePodBindsOnceTheyAreGone() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(binder);
        s.nodeUpserted(Node.of("a", Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false));
        PodRequest mid = pod("m", "mid", PoolRule.MID_POOL, 7000, "a");
        s.podUpserted(mid, false, false);
        PodRequest lowNominated = pod("n", "mid", PoolRule.MID_POOL, 7000, null);
        s.podUpserted(lowNominated.withDetails(lowNominated.details().withPreemption(true, "a")), false, false);

        s.podUpserted(pod("p", "prod", PoolRule.ALLOCATABLE, 9000, null), false, false);
        await().until(() -> !preempted.isEmpty());
        assertThat(preempted).containsExactly(new Preempted("p", "a", List.of("m"), List.of("n")));
        assertThat(s.metrics().victimsByTier.get("mid").sum()).isEqualTo(1);
        assertThat(binder.sent()).isEmpty();

        s.podDeleted(mid.uid()); // the victim is gone: the deletion wakes the pod
        await().atMost(Duration.ofSeconds(20)).until(() -> binder.sent().size() == 1);
        assertThat(binder.sent().get(0))
                .extracting(HeldBinder.Call::name, HeldBinder.Call::node)
                .containsExactly("p", "a");
        assertThat(preempted).hasSize(1);
    }

    private static Node node(String name, boolean cordoned) {
        return Node.of(name, Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), cordoned);
    }

    @Test
    void itsOwnNominationSurvivesAnUpdateWithoutOneAndThePodDoesNotPreemptTwice() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(binder);
        s.nodeUpserted(node("a", false));
        s.podUpserted(pod("m", "mid", PoolRule.MID_POOL, 7000, "a"), false, false);
        PodRequest p = pod("p", "prod", PoolRule.ALLOCATABLE, 9000, null);
        s.podUpserted(p, false, false);
        await().until(() -> preempted.size() == 1);

        // the echo of its PodScheduled=False condition: no nominatedNodeName yet (the writer's patch comes later)
        s.podUpserted(p, false, false);
        s.nodeUpserted(node("b", true)); // a cluster event: p is tried again while its victim terminates
        await().atMost(Duration.ofSeconds(20))
                .until(() -> s.metrics().preemptionAttempts.sum() >= 2);
        assertThat(preempted)
                .as("not eligible while its victim on its nominated node terminates")
                .hasSize(1);
        assertThat(binder.sent()).isEmpty();
    }

    @Test
    void aVictimThatCannotBeDeletedUndoesThePreemption() {
        deletesFail = true;
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(binder);
        s.nodeUpserted(node("a", false));
        s.podUpserted(pod("m", "mid", PoolRule.MID_POOL, 7000, "a"), false, false);
        s.podUpserted(pod("p", "prod", PoolRule.ALLOCATABLE, 9000, null), false, false);
        await().until(() -> preempted.size() == 1);
        // the nomination and the victim's terminating mark are undone: on its next try p preempts again
        s.nodeUpserted(node("b", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> preempted.size() >= 2);
        assertThat(preempted.get(1)).isEqualTo(new Preempted("p", "a", List.of("m"), List.of()));
    }

    @Test
    void aNominationPreemptionCannotKeepIsCleared() {
        HeldBinder binder = new HeldBinder(32, 8);
        TierScheduler s = start(binder);
        // the only node is cordoned: UNRESOLVABLE everywhere, so the pod's nomination there is given up
        s.nodeUpserted(Node.of("a", Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), true));
        PodRequest p = pod("p", "prod", PoolRule.ALLOCATABLE, 9000, null);
        s.podUpserted(p.withDetails(p.details().withPreemption(false, "a")), false, false);
        await().until(() -> !clearedAlone.isEmpty());
        assertThat(clearedAlone).containsExactly("p");
        assertThat(preempted).isEmpty();
        assertThat(s.metrics().preemptionsFailed.sum()).isPositive();
    }
}
