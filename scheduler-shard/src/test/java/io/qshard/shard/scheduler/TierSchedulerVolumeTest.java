package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.plugins.volumebinding.VolumeBinding;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.core.volume.VolumeSources;
import io.qshard.shard.volume.VolumeWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime's side of volume binding, without an apiserver: the test plays the informer (node, StorageClass, one
 * free PV, claims) and the API half of PreBind — a {@link VolumeWriter} that holds each call until the test answers
 * it. Covers Unreserve after the pod's assumption is gone, the PreBind fence (pod deleted, lease lost) and volume
 * assumptions shared by the tiers of one process.
 */
class TierSchedulerVolumeTest {
    private static final long GI = 1L << 30;
    private static final Instant T0 = Instant.now();
    private static final PersistentVolume PV = pv("pv1");

    /** A free 1 GiB ReadWriteOnce PV of class "local", usable on any node. */
    private static PersistentVolume pv(String name) {
        return new PersistentVolume(
                name,
                "local",
                GI,
                List.of("ReadWriteOnce"),
                false,
                List.of(),
                Map.of(),
                null,
                PersistentVolume.AVAILABLE,
                false,
                null,
                null,
                "7");
    }

    private final RecordingReporter reporter = new RecordingReporter();
    private final HeldWriter writer = new HeldWriter();
    private final List<TierScheduler> started = new ArrayList<>();
    private final List<HeldBinder> binders = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(TierScheduler::kill);
    }

    /** Holds each PreBind until the test answers it. */
    static final class HeldWriter implements VolumeWriter {
        record Call(PodRequest pod, VolumeDecision decision, Fence fence, CompletableFuture<Optional<String>> answer) {}

        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public Optional<String> bind(PodRequest pod, VolumeDecision decision, Fence fence) {
            Call c = new Call(pod, decision, fence, new CompletableFuture<>());
            calls.add(c);
            try {
                return c.answer().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The PV names the {@code i}-th call's decision binds. */
        List<String> volumesOf(int i) {
            return calls.get(i).decision().bindings().stream()
                    .map(b -> b.volume().name())
                    .toList();
        }
    }

    /**
     * A scheduler for {@code tier} that knows one node, the class "local", {@link #PV} and claims data1..data2; its pod
     * binder (bindings sent, not answered) is added to {@link #binders}.
     */
    private TierScheduler start(QshardConfig config, String tier, SchedulerSettings settings, PlacementLedger ledger) {
        HeldBinder binder = new HeldBinder(32, 8);
        binders.add(binder);
        TierScheduler s = new TierScheduler(
                config.tier(tier),
                0,
                config,
                ShippedPlugins.registry(),
                settings,
                Clock.systemUTC(),
                new SchedulerPorts(binder, reporter, null, null, writer));
        if (ledger != null) {
            s.joinLedger(ledger);
        }
        s.nodeUpserted(Node.of("a", Map.of(), List.of(), new Resources(4000, 16 * GI, 110, 0, 0), false));
        s.storageClass("local", new StorageClass("local", StorageClass.NO_PROVISIONER, true, List.of()));
        s.persistentVolume(PV.name(), PV);
        for (String c : List.of("data1", "data2")) {
            s.claim("ns", c, claim(c));
        }
        s.volumeSources(VolumeSources.READY);
        s.start();
        started.add(s);
        return s;
    }

    private static VolumeClaim claim(String name) {
        return new VolumeClaim(
                "ns",
                name,
                "uid-" + name,
                "local",
                "",
                "Pending",
                List.of("ReadWriteOnce"),
                GI,
                false,
                null,
                false,
                null,
                false,
                null,
                "3");
    }

    /** A pending pod of {@code tier} using the claim {@code claim}. */
    private static PodRequest pod(String name, String tier, String claim) {
        return plainPod(name, tier)
                .withDetails(new PodDetails(
                        -1, -1, List.of(), List.of(PodVolume.claim("data", claim, false)), List.of(), List.of()));
    }

    /** A pending pod of {@code tier} without volumes. */
    private static PodRequest plainPod(String name, String tier) {
        return new PodRequest(
                "uid-" + name,
                "ns",
                name,
                tier,
                PoolRule.ALLOCATABLE,
                new Resources(100, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                9000,
                T0,
                null,
                null);
    }

    @Test
    void aPreBindStopsOnceThePodIsDeletedAndItsVolumeAssumptionIsForgotten() {
        TierScheduler s = start(QshardConfig.defaults(), "prod", SchedulerSettings.defaults(), null);
        s.podUpserted(pod("p1", "prod", "data1"), false, false);
        await().until(() -> writer.calls.size() == 1);
        HeldWriter.Call c = writer.calls.get(0);
        assertThat(writer.volumesOf(0)).containsExactly("pv1");
        assertThat(c.fence().stopReason())
                .as("the pod exists and the instance leads")
                .isNull();

        s.podDeleted("uid-p1"); // the informer saw the pod deleted while its PreBind waits for the PV controller
        await().until(() -> c.fence().stopReason() != null);
        assertThat(c.fence().stopReason()).isEqualTo("pod does not exist any more: pods \"p1\" not found");
        c.answer().complete(Optional.of(c.fence().stopReason())); // what ApiVolumeBinder answers then
        await().until(() -> s.metrics().bindErrors.sum() == 1);

        // the pod's assumption was gone before its binding failed; VolumeBinding's Unreserve still forgot pv1
        s.podUpserted(pod("p2", "prod", "data2"), false, false);
        await().until(() -> writer.calls.size() == 2);
        assertThat(writer.volumesOf(1)).containsExactly("pv1");
        assertThat(reporter.reports).noneMatch(r -> r.startsWith("unschedulable ns/p2"));
    }

    /**
     * With one pre-bind thread ({@code --bind-concurrency 1}), one PreBind waits and two more are queued; the decision
     * thread is never made to run one itself: it goes on deciding, and a pod without claims is bound meanwhile.
     */
    @Test
    void waitingPreBindsQueueAndNeverHoldTheDecisionThread() {
        TierScheduler s = start(QshardConfig.defaults(), "prod", new SchedulerSettings(1, 10, 50), null);
        for (int i = 2; i <= 3; i++) {
            s.persistentVolume("pv" + i, pv("pv" + i));
            s.claim("ns", "data" + (i + 1), claim("data" + (i + 1)));
        }
        s.podUpserted(pod("p1", "prod", "data1"), false, false);
        await().until(() -> writer.calls.size() == 1); // the one pre-bind thread waits in p1's PreBind
        s.podUpserted(pod("p2", "prod", "data2"), false, false);
        s.podUpserted(pod("p3", "prod", "data3"), false, false);
        s.podUpserted(plainPod("plain", "prod"), false, false);

        HeldBinder binder = binders.get(0);
        await().until(() -> binder.sent().stream().anyMatch(c -> c.name().equals("plain")));
        assertThat(writer.calls).as("p2 and p3 wait in the pre-bind queue").hasSize(1);

        writer.calls.get(0).answer().complete(Optional.empty()); // p1's claims bound: the queue moves on, in order
        await().until(() -> writer.calls.size() == 2);
        assertThat(writer.calls.get(1).pod().name()).isEqualTo("p2");
    }

    @Test
    void aPreBindStopsOnceTheInstanceLosesItsLease() {
        SchedulerSettings elected = SchedulerSettings.defaults()
                .withElection(
                        "qshard-system", "me", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        TierScheduler s = start(QshardConfig.defaults(), "prod", elected, null);
        s.lead(true);
        s.podUpserted(pod("p1", "prod", "data1"), false, false);
        await().until(() -> writer.calls.size() == 1);
        HeldWriter.Call c = writer.calls.get(0);
        assertThat(c.fence().stopReason()).isNull();

        s.lead(false);
        assertThat(c.fence().stopReason()).isEqualTo("this instance no longer leads its shard (tier prod shard 0)");
        c.answer().complete(Optional.of(c.fence().stopReason()));
        await().until(() -> s.metrics().bindErrors.sum() == 1 && s.queueSizes().inFlight() == 0);
        assertThat(s.queueSizes().pending()).as("requeued for the next leader").isEqualTo(1);
        assertThat(writer.calls).as("nothing decided while standing by").hasSize(1);
    }

    @Test
    void anotherTierOfTheProcessDoesNotChooseAPvATierHasJustChosen() {
        QshardConfig config = new QshardConfigLoader(ShippedPlugins.registry())
                .parse(
                        "tiers: [{name: prod}, {name: gold, schedulerName: qshard-gold, priority: 8000, pool: allocatable}]",
                        "t");
        PlacementLedger ledger = new PlacementLedger();
        TierScheduler prod = start(config, "prod", SchedulerSettings.defaults(), ledger);
        TierScheduler gold = start(config, "gold", SchedulerSettings.defaults(), ledger);

        prod.podUpserted(pod("p1", "prod", "data1"), false, false);
        await().until(() -> writer.calls.size() == 1); // prod chose pv1 and waits for the PV controller
        assertThat(writer.volumesOf(0)).containsExactly("pv1");

        // gold decides after prod's Reserve: it sees pv1 as taken, although no informer event says so yet
        gold.podUpserted(pod("g1", "gold", "data2"), false, false);
        await().until(() -> reporter.reports.stream().anyMatch(r -> r.startsWith("unschedulable ns/g1: ")));
        assertThat(reporter.reports)
                .filteredOn(r -> r.startsWith("unschedulable ns/g1: "))
                .first()
                .asString()
                .contains(VolumeBinding.ERR_BIND_CONFLICT);
        assertThat(writer.calls).hasSize(1);

        // prod's pod is deleted and its PreBind fails: prod forgets pv1, and so does gold
        prod.podDeleted("uid-p1");
        HeldWriter.Call c = writer.calls.get(0);
        await().until(() -> c.fence().stopReason() != null);
        c.answer().complete(Optional.of(c.fence().stopReason()));
        await().until(() -> prod.queueSizes().inFlight() == 0); // its binding outcome (and Unreserve) was handled
        gold.persistentVolume(PV.name(), PV); // an event that wakes the unschedulable pod
        await().until(() -> writer.calls.size() == 2);
        assertThat(writer.calls.get(1).pod().name()).isEqualTo("g1");
        assertThat(writer.volumesOf(1)).containsExactly("pv1");
    }
}
