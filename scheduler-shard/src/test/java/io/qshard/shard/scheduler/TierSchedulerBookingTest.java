package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.booking.Booking;
import io.qshard.core.booking.BookingStore;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodDetails;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler processes without an apiserver — prod and mid, each its own {@link TierScheduler} and state, neither
 * told of the other's pod (the informer lag, held open) — racing for one node of 1000m with a 600m pod each: without
 * node bookings both bind (the over-booking a kubelet would refuse); with bookings on a shared in-memory Lease store
 * exactly one binds, and the other binds once it has seen the winner deleted.
 */
class TierSchedulerBookingTest {
    private static final long GI = 1L << 30;
    private static final QshardConfig CONFIG = QshardConfig.defaults();

    private final List<TierScheduler> started = new ArrayList<>();
    private final Map<TierScheduler, RecordingReporter> reporters = new HashMap<>();

    @AfterEach
    void stop() {
        started.forEach(TierScheduler::kill);
    }

    private TierScheduler start(String tier, HeldBinder binder, NodeBookings bookings) {
        RecordingReporter reporter = new RecordingReporter();
        TierScheduler s = new TierScheduler(
                CONFIG.tier(tier),
                0,
                CONFIG,
                ShippedPlugins.registry(),
                SchedulerSettings.defaults(),
                Clock.systemUTC(),
                new SchedulerPorts(binder, reporter, null, null).withBookings(bookings));
        started.add(s);
        reporters.put(s, reporter);
        s.start();
        s.nodeUpserted(Node.of("n1", Map.of(), List.of(), new Resources(1000, 4 * GI, 110, 0, 0), false));
        return s;
    }

    /** A pending 600m pod of {@code tier} (prod: Guaranteed; mid: from its pool, 850 − 50 = 800m on n1). */
    private static PodRequest pod(String tier, PoolRule rule, int priority) {
        return new PodRequest(
                "uid-" + tier,
                "ns",
                tier + "-pod",
                tier,
                rule,
                new Resources(600, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                priority,
                Instant.now(),
                null,
                null);
    }

    @Test
    void withoutBookingsTwoProcessesOverBookTheNode() {
        HeldBinder prodBinder = new HeldBinder(8, 8);
        HeldBinder midBinder = new HeldBinder(8, 8);
        start("prod", prodBinder, null).podUpserted(pod("prod", PoolRule.ALLOCATABLE, 9000), false, false);
        start("mid", midBinder, null).podUpserted(pod("mid", PoolRule.MID_POOL, 7000), false, false);

        // 600 + 600 = 1200m sent to a node of 1000m
        await().until(() -> prodBinder.sent().size() + midBinder.sent().size() == 2);
    }

    @Test
    void withBookingsExactlyOneBindsAndTheOtherOnlyAfterSeeingItGone() {
        MemoryStore store = new MemoryStore();
        NodeBookings prodBookings = new NodeBookings(store, Clock.systemUTC());
        NodeBookings midBookings = new NodeBookings(store, Clock.systemUTC());
        HeldBinder prodBinder = new HeldBinder(8, 8);
        HeldBinder midBinder = new HeldBinder(8, 8);
        TierScheduler prod = start("prod", prodBinder, prodBookings);
        TierScheduler mid = start("mid", midBinder, midBookings);
        prod.podUpserted(pod("prod", PoolRule.ALLOCATABLE, 9000), false, false);
        mid.podUpserted(pod("mid", PoolRule.MID_POOL, 7000), false, false);

        // the second booking read the first: 600 + 600 = 1200 > 1000 → refused, its binding never sent
        await().until(() -> prodBookings.refused.sum() + midBookings.refused.sum() >= 1
                && prodBinder.sent().size() + midBinder.sent().size() == 1);
        boolean prodWon = prodBinder.sent().size() == 1;
        TierScheduler loser = prodWon ? mid : prod;
        HeldBinder loserBinder = prodWon ? midBinder : prodBinder;
        String winnerUid = prodWon ? "uid-prod" : "uid-mid";
        String loserKey = prodWon ? "ns/mid-pod" : "ns/prod-pod";
        // the refusal reaches the pod as a FailedScheduling Event naming the booking …
        await().until(() -> reporters.get(loser).reports.stream()
                .anyMatch(r -> r.startsWith("unschedulable " + loserKey + ": NodeBooking: node n1 is booked up")));
        assertThat(loser.metrics().bindErrors.sum())
                .as("… and is contention, not a bind error")
                .isZero();
        assertThat(store.bookings.get("n1")).extracting(Booking::uid).containsExactly(winnerUid);

        // the loser retries with backoff and is refused again while the winner's booking counts …
        long refusedBefore = (prodWon ? midBookings : prodBookings).refused.sum();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> (prodWon ? midBookings : prodBookings).refused.sum() > refusedBefore);
        assertThat(loserBinder.sent()).isEmpty();

        // … until it sees the winner deleted: that booking no longer counts, 0 + 600 ≤ 1000
        loser.podDeleted(winnerUid);
        await().atMost(Duration.ofSeconds(30)).until(() -> loserBinder.sent().size() == 1);
        assertThat(loserBinder.sent().get(0).node()).isEqualTo("n1");
    }

    /**
     * With bookings every pod has a PreBind. With one thread per pre-bind lane ({@code --bind-concurrency 1}) held by a
     * volume wait, a pod without volumes is still booked and bound: it takes the booking lane, not the volume queue.
     */
    @Test
    void aPodWithoutVolumesIsNotQueuedBehindAVolumeWait() {
        TierSchedulerVolumeTest.HeldWriter writer = new TierSchedulerVolumeTest.HeldWriter();
        HeldBinder binder = new HeldBinder(8, 8);
        NodeBookings bookings = new NodeBookings(new MemoryStore(), Clock.systemUTC());
        TierScheduler s = new TierScheduler(
                CONFIG.tier("prod"),
                0,
                CONFIG,
                ShippedPlugins.registry(),
                new SchedulerSettings(1, 10, 50),
                Clock.systemUTC(),
                new SchedulerPorts(binder, new RecordingReporter(), null, null, writer).withBookings(bookings));
        started.add(s);
        s.nodeUpserted(Node.of("n1", Map.of(), List.of(), new Resources(4000, 16 * GI, 110, 0, 0), false));
        s.storageClass("local", new StorageClass("local", StorageClass.NO_PROVISIONER, true, List.of()));
        s.persistentVolume("pv1", freeVolume("pv1"));
        s.claim("ns", "data1", pendingClaim("data1"));
        s.volumeSources(VolumeSources.READY);
        s.start();

        s.podUpserted(
                pod("prod", PoolRule.ALLOCATABLE, 9000)
                        .withDetails(new PodDetails(
                                -1,
                                -1,
                                List.of(),
                                List.of(PodVolume.claim("data", "data1", false)),
                                List.of(),
                                List.of())),
                false,
                false);
        await().until(() -> writer.calls.size() == 1); // booked, then the volume lane's one thread waits for the PV
        PodRequest plain = new PodRequest(
                "uid-plain",
                "ns",
                "plain",
                "prod",
                PoolRule.ALLOCATABLE,
                new Resources(100, GI, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                9000,
                Instant.now(),
                null,
                null);
        s.podUpserted(plain, false, false);

        await().until(() -> binder.sent().stream().anyMatch(c -> c.name().equals("plain")));
        assertThat(bookings.booked.sum()).as("both pods booked").isEqualTo(2);
        assertThat(binder.sent()).extracting(HeldBinder.Call::name).containsExactly("plain");
        writer.calls.get(0).answer().complete(Optional.empty());
        await().until(() -> binder.sent().size() == 2);
    }

    /** A free 1 GiB ReadWriteOnce PV of class "local", usable on any node. */
    private static PersistentVolume freeVolume(String name) {
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

    /** A pending 1 GiB claim of class "local". */
    private static VolumeClaim pendingClaim(String name) {
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

    /** Every node's bookings with a version, compare-and-swap on write. Thread-safe (one monitor). */
    private static final class MemoryStore implements BookingStore {
        final Map<String, List<Booking>> bookings = new HashMap<>();
        private final Map<String, Long> versions = new HashMap<>();

        @Override
        public synchronized Leased read(String node) {
            Long v = versions.get(node);
            return v == null ? Leased.ABSENT : new Leased(Long.toString(v), bookings.get(node), null);
        }

        @Override
        public synchronized Written write(String node, String version, List<Booking> next) {
            Long v = versions.get(node);
            if (!java.util.Objects.equals(v == null ? null : Long.toString(v), version)) {
                return Written.CONFLICT;
            }
            long now = v == null ? 1 : v + 1;
            versions.put(node, now);
            bookings.put(node, List.copyOf(next));
            return Written.ok(Long.toString(now));
        }
    }
}
