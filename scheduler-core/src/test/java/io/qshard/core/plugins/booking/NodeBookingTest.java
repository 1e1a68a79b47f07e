package io.qshard.core.plugins.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.booking.Booking;
import io.qshard.core.booking.BookingCheck;
import io.qshard.core.booking.BookingPort;
import io.qshard.core.booking.BookingStore;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.booking.NodeCommitment;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.testing.Extremes;
import io.qshard.core.testing.Fixtures;
import io.qshard.core.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node bookings: the check's arithmetic (a table), the compare-and-swap protocol on an in-memory store (two processes
 * racing for a node's last 100m: exactly one wins), expiry, conflicts and failures, and the plugin's steps.
 */
class NodeBookingTest {
    private static final Duration TTL = NodeBookings.TTL;
    private static final long NOW = Fixtures.T0.toEpochMilli();
    /** A node of 1000m, 4096 bytes of memory, 12 pods, batch 800m / 2048 bytes. */
    private static final Resources NODE = new Resources(1000, 4096, 12, 800, 2048);

    /**
     * One row: the process knows {@code knownCpu}m / {@code knownBatch}m / {@code knownPods} pods on the node (and, if
     * {@code mineKnown}, the pod itself among them); the Lease holds one booking of another pod, {@code otherCpu}m /
     * {@code otherBatch}m / 1 pod, {@code otherAgeS} seconds old, its uid known to the process or seen deleted as
     * given; the pod asks {@code wantCpu}m / {@code wantBatch}m / 1 pod.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                      |kCpu|kBat|kPods|mine |oCpu|oBat|oAge|oKnown|oGone|wCpu|wBat|refused
            # 800 + 0 + 200 = 1000 ≤ 1000
            fits exactly                                | 800|   0|    8|false|   0|   0|   0|false |false| 200|   0|
            # 800 + 100 (unseen booking) + 200 = 1100 > 1000
            an unseen booking takes the room            | 800|   0|    8|false| 100|   0|   1|false |false| 200|   0|cpu 1100 > 1000
            # the booked pod is in the known 800 already: 800 + 200 = 1000
            a booking already seen counts once          | 800|   0|    8|false| 100|   0|   1|true  |false| 200|   0|
            # booked 60 s ago = TTL: expired, 800 + 200 = 1000
            an expired booking no longer counts         | 800|   0|    8|false| 100|   0|  60|false |false| 200|   0|
            # 59 s ago: still counts, 1100 > 1000
            a booking younger than the TTL counts       | 800|   0|    8|false| 100|   0|  59|false |false| 200|   0|cpu 1100 > 1000
            # seen deleted: 800 + 200 = 1000
            a deleted pod's booking no longer counts    | 800|   0|    8|false| 100|   0|   1|false |true | 200|   0|
            # the pod is in the known 1000 (the runtime's cache reserved it first): not added twice
            the pod itself counts once                  |1000|   0|    9|true |   0|   0|   0|false |false| 200|   0|
            # batch: 600 + 150 + 150 = 900 > 800
            batch and free race for batch-cpu           |   0| 600|    4|false|   0| 150|   1|false |false|   0| 150|qshard.io/batch-cpu 900 > 800
            # pods: 11 known + 1 booked + 1 = 13 > 12 (the pod asks for no cpu beyond the node's 0 + 0)
            the last pod slot                           |   0|   0|   11|false|   0|  10|   1|false |false|   0|  10|pods 13 > 12
            # cpu over (1200 > 1000) but the pod asks only batch: 0 + 150 ≤ 800 is all it adds
            only what the pod asks for is checked       |1200|   0|    3|false|   0|   0|   1|false |false|   0| 150|
            """)
    void checkArithmetic(
            String name,
            long knownCpu,
            long knownBatch,
            long knownPods,
            boolean mineKnown,
            long otherCpu,
            long otherBatch,
            long otherAgeS,
            boolean otherKnown,
            boolean otherGone,
            long wantCpu,
            long wantBatch,
            String refused) {
        Set<String> uids = new java.util.HashSet<>();
        if (mineKnown) {
            uids.add("mine");
        }
        if (otherKnown) {
            uids.add("other");
        }
        NodeCommitment c =
                new NodeCommitment("n1", NODE, new Resources(knownCpu, 0, knownPods, knownBatch, 0), uids, NOW);
        Booking other = new Booking("other", new Resources(otherCpu, 0, 1, otherBatch, 0), NOW - otherAgeS * 1000);
        Booking mine = new Booking("mine", new Resources(wantCpu, 0, 1, wantBatch, 0), 0);
        Predicate<String> gone = uid -> otherGone && uid.equals("other");

        String why = BookingCheck.refusal(c, mine, List.of(other), gone, NOW, TTL);

        if (refused == null) {
            assertThat(why).as(name).isNull();
        } else {
            assertThat(why).as(name).contains(refused + " allocatable").startsWith("node n1 is booked up");
        }
    }

    @Test
    void extendedResourcesAreCheckedByName() {
        // 1 GPU known + 1 asked = 2 ≤ 2; with another pod's booking of 1: 3 > 2
        Resources node = NODE.withScalars(ScalarResources.of("nvidia.com/gpu", 2));
        NodeCommitment c = new NodeCommitment(
                "g", node, new Resources(0, 0, 1, 0, 0, ScalarResources.of("nvidia.com/gpu", 1)), Set.of(), NOW);
        Booking mine = new Booking("mine", new Resources(0, 0, 1, 0, 0, ScalarResources.of("nvidia.com/gpu", 1)), 0);
        Booking other = new Booking("o", mine.requests(), NOW);

        assertThat(BookingCheck.refusal(c, mine, List.of(), uid -> false, NOW, TTL))
                .isNull();
        assertThat(BookingCheck.refusal(c, mine, List.of(other), uid -> false, NOW, TTL))
                .contains("nvidia.com/gpu 3 > 2");
    }

    /**
     * Bookings are judged as they stood when the commitment was taken (B2): the process knows 800m, the pod asks 200m,
     * another pod's booking of 100m is {@code oAge} s old now and the commitment was taken {@code cAge} s ago (TTL 60 s).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                                       |oAge|cAge|refused
            # at the commitment the booking was 70 − 50 = 20 s old < 60: it counts, 800 + 100 + 200 = 1100 > 1000
            a booking that expired after the view was taken still counts |  70|  50|cpu 1100 > 1000
            # 70 − 5 = 65 s old already when the view was taken: expired then, 800 + 200 = 1000
            a booking expired before the view was taken does not         |  70|   5|
            # booked 10 s ago, after the view taken 20 s ago: counts, 1100 > 1000
            a booking written after the view was taken counts            |  10|  20|cpu 1100 > 1000
            """)
    void bookingsAreJudgedAtTheCommitmentsTime(String name, long oAge, long cAge, String refused) {
        NodeCommitment c = new NodeCommitment("n1", NODE, new Resources(800, 0, 8, 0, 0), Set.of(), NOW - cAge * 1000);
        Booking other = new Booking("other", new Resources(100, 0, 1, 0, 0), NOW - oAge * 1000);
        Booking mine = new Booking("mine", new Resources(200, 0, 1, 0, 0), 0);

        String why = BookingCheck.refusal(c, mine, List.of(other), u -> false, NOW, TTL);

        if (refused == null) {
            assertThat(why).as(name).isNull();
        } else {
            assertThat(why).as(name).contains(refused + " allocatable");
        }
    }

    @Test
    void aCommitmentATtlOldIsNotJudgedButFailsWithoutTouchingTheStore() {
        CasStore store = new CasStore();
        TestClock clock = new TestClock(Fixtures.T0);
        NodeBookings p = new NodeBookings(store, clock);
        NodeCommitment c = empty(NOW);
        assertThat(BookingCheck.staleness(c, NOW + 59_999, TTL)).isNull();

        clock.advance(TTL); // 60 s since the view was taken: bookings it did not see may have been pruned since
        assertThat(p.book(c, new Booking("p1", Resources.of(100, 0), 0), u -> false))
                .hasValueSatisfying(
                        why -> assertThat(why).contains("is 60 s old").contains("fresh view"));
        assertThat(p.failed.sum()).isEqualTo(1);
        assertThat(p.refused.sum()).isZero();
        assertThat(store.reads.get()).isZero();
    }

    /** TTL = max(60 s, volumeBindTimeout + 30 s) (B1). */
    @ParameterizedTest(name = "volume bind timeout {0} s → TTL {1} s")
    @CsvSource({
        "1, 60", // 1 + 30 = 31 < 60
        "30, 60", // 30 + 30 = 60
        "31, 61", // 31 + 30 = 61
        "120, 150", // the default --volume-bind-timeout: 120 + 30
        "600, 630" // kube-scheduler's bindTimeoutSeconds: 600 + 30
    })
    void theTtlOutlastsTheVolumeWait(long volumeBindSeconds, long ttlSeconds) {
        assertThat(NodeBookings.ttlFor(Duration.ofSeconds(volumeBindSeconds)))
                .isEqualTo(Duration.ofSeconds(ttlSeconds));
    }

    @Test
    void aBookingStillCountsWhenItsPodBindsAfterALongVolumeWait() {
        // process A books X (100m) at T0; X then waits 100 s in VolumeBinding's PreBind (timeout 120 s), unbound and
        // so in no other process's view; process B, knowing 900m, books Y (100m) at T0 + 100 s
        Duration ttl = NodeBookings.ttlFor(Duration.ofSeconds(120)); // 150 s
        for (Duration t : List.of(ttl, TTL)) {
            CasStore store = new CasStore();
            TestClock clock = new TestClock(Fixtures.T0);
            NodeBookings a = new NodeBookings(store, clock, t);
            NodeBookings b = new NodeBookings(store, clock, t);
            assertThat(a.book(empty(clock.millis()), new Booking("x", Resources.of(100, 0), 0), u -> false))
                    .isEmpty();
            clock.advance(Duration.ofSeconds(100));
            NodeCommitment seen =
                    new NodeCommitment("n1", NODE, new Resources(900, 0, 9, 0, 0), Set.of(), clock.millis());

            Optional<String> y = b.book(seen, new Booking("y", Resources.of(100, 0), 0), u -> false);

            if (t.equals(ttl)) { // 100 s < 150 s: X counts, 900 + 100 + 100 = 1100 > 1000
                assertThat(y).hasValueSatisfying(why -> assertThat(why).contains("cpu 1100 > 1000"));
            } else { // the old fixed 60 s: X expired while it waited, 900 + 100 = 1000 fits — and X binds too: 1100
                assertThat(y).as("a 60 s TTL loses X's booking").isEmpty();
            }
        }
    }

    @Test
    void aResourceOneTierIgnoresIsBookedAndCountsForATierThatChecksIt() {
        // the node has 1 example.com/x; tier T1 ignores x (its pods may ask for it all the same), T2 checks it
        CasStore store = new CasStore();
        TestClock clock = new TestClock(Fixtures.T0);
        Resources node = NODE.withScalars(ScalarResources.of("example.com/x", 1));
        NodeBooking t1 = new NodeBooking(
                port(new NodeBookings(store, clock), node, clock), new FitArgs(List.of("example.com/x"), List.of()));
        NodeBooking t2 = new NodeBooking(port(new NodeBookings(store, clock), node, clock), FitArgs.DEFAULTS);
        Resources asks = new Resources(100, 0, 1, 0, 0, ScalarResources.of("example.com/x", 1));

        // T1: 0 + 1 = 1 ≤ 1 — booked with its x
        assertThat(book(t1, Extremes.pod("a", "prod", asks))).isEqualTo(Status.SUCCESS);
        assertThat(store.bookings.get(0).requests().scalars().get("example.com/x"))
                .isEqualTo(1);
        // T2, which has not seen T1's pod: 0 + 1 (T1's booking) + 1 = 2 > 1
        Status t2Pod = book(t2, Extremes.pod("b", "prod", asks));
        assertThat(t2Pod.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(t2Pod.message()).contains("example.com/x 2 > 1");
        // T1 does not check what it ignores: 0 + 1 + 1 = 2 > 1 on x, but only cpu 200 ≤ 1000 and pods 2 ≤ 12 count
        assertThat(book(t1, Extremes.pod("c", "prod", asks))).isEqualTo(Status.SUCCESS);
    }

    /** A port booking through {@code bookings} on a node of {@code allocatable} it knows empty. */
    private static BookingPort port(NodeBookings bookings, Resources allocatable, TestClock clock) {
        return new BookingPort() {
            @Override
            public NodeCommitment commitment(PodRequest pod, String node) {
                return new NodeCommitment(node, allocatable, Resources.ZERO, Set.of(), clock.millis());
            }

            @Override
            public Optional<String> book(
                    NodeCommitment commitment, PodRequest pod, Booking booking, Predicate<String> checked) {
                return bookings.book(commitment, booking, checked, u -> false);
            }
        };
    }

    /** Reserve then PreBind of {@code pod} on n1 through {@code plugin}. */
    private static Status book(NodeBooking plugin, PodRequest pod) {
        CycleState state = new CycleState();
        plugin.reserve(state, pod, "n1");
        return plugin.preBind(state, pod, "n1");
    }

    @Test
    void aSlowNodeFailsItsBatchAfterTheDeadline() {
        // each read takes 4 s and every write loses the race: read 0→4 s, write at 4; read 4→8, write at 8; read
        // 8→12 s, and at 12 ≥ 10 s the batch fails — 3 reads and 2 writes instead of 8 writes (≈ 8 × 4 = 32 s)
        CasStore store = new CasStore();
        TestClock clock = new TestClock(Fixtures.T0);
        store.afterRead = () -> clock.advance(Duration.ofSeconds(4));
        store.beforeWrite = () -> store.version++;
        NodeBookings p = new NodeBookings(store, clock);

        assertThat(p.book(empty(NOW), new Booking("p1", Resources.of(100, 0), 0), u -> false))
                .hasValueSatisfying(why -> assertThat(why).contains("node n1 took longer than 10 s"));

        assertThat(store.reads.get()).isEqualTo(3);
        assertThat(p.conflicts.sum()).isEqualTo(2);
        assertThat(p.failed.sum()).isEqualTo(1);
        assertThat(NodeBookings.BATCH_DEADLINE).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void twoProcessesRacingForTheLastRoomBookItOnce() throws Exception {
        // node 1000m; both processes know 900m on it and not each other's pod: 900 + 100 fits for each alone
        CasStore store = new CasStore();
        CountDownLatch bothRead = new CountDownLatch(2);
        store.afterRead = bothRead::countDown;
        store.beforeWrite = () -> await(bothRead); // both have read version 0 before either writes
        TestClock clock = new TestClock(Fixtures.T0);
        NodeBookings a = new NodeBookings(store, clock);
        NodeBookings b = new NodeBookings(store, clock);
        NodeCommitment seen = new NodeCommitment("n1", NODE, new Resources(900, 0, 9, 0, 0), Set.of(), NOW);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<String>> fa =
                    pool.submit(() -> a.book(seen, new Booking("pa", new Resources(100, 0, 1, 0, 0), 0), u -> false));
            Future<Optional<String>> fb =
                    pool.submit(() -> b.book(seen, new Booking("pb", new Resources(100, 0, 1, 0, 0), 0), u -> false));
            List<Optional<String>> results = List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));

            // the loser's write conflicted; it re-read the winner's booking: 900 + 100 + 100 = 1100 > 1000
            assertThat(results.stream().filter(Optional::isEmpty)).hasSize(1);
            assertThat(results.stream().flatMap(Optional::stream))
                    .singleElement()
                    .asString()
                    .contains("cpu 1100 > 1000");
            assertThat(store.bookings).hasSize(1);
            assertThat(a.conflicts.sum() + b.conflicts.sum()).isEqualTo(1);
            assertThat(a.refused.sum() + b.refused.sum()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bookingsStayOnTheLeaseForTwiceTheTtlThenArePruned() {
        CasStore store = new CasStore();
        TestClock clock = new TestClock(Fixtures.T0);
        NodeBookings p = new NodeBookings(store, clock);
        assertThat(p.retention()).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.book(empty(clock.millis()), new Booking("old", Resources.of(100, 0), 0), u -> false))
                .isEmpty();

        clock.advance(TTL); // "old" is 60 s old: it no longer counts at now, but stays (2 × 60 = 120 s retention)
        assertThat(p.book(empty(clock.millis()), new Booking("mid", Resources.of(100, 0), 0), u -> false))
                .isEmpty();
        assertThat(store.bookings).extracting(Booking::uid).containsExactly("old", "mid");

        clock.advance(TTL); // "old" is 120 s old: pruned; "mid" is 60 s old: kept
        assertThat(p.book(empty(clock.millis()), new Booking("new", Resources.of(100, 0), 0), u -> false))
                .isEmpty();

        assertThat(store.bookings).extracting(Booking::uid).containsExactly("mid", "new");
        assertThat(store.bookings.get(1).atMillis()).isEqualTo(NOW + 2 * TTL.toMillis());
    }

    private static NodeCommitment empty(long takenAt) {
        return new NodeCommitment("n1", NODE, Resources.ZERO, Set.of(), takenAt);
    }

    @Test
    void aProcessWritesAtTheVersionItWroteAndReadsOnlyAfterAConflict() {
        CasStore store = new CasStore();
        NodeBookings p = new NodeBookings(store, new TestClock(Fixtures.T0));
        NodeCommitment empty = new NodeCommitment("n1", NODE, Resources.ZERO, Set.of(), NOW);
        p.book(empty, new Booking("p1", Resources.of(100, 0), 0), u -> false);
        p.book(empty, new Booking("p2", Resources.of(100, 0), 0), u -> false);
        assertThat(store.reads.get())
                .as("read once, then wrote at its own version")
                .isEqualTo(1);

        store.version++; // another process wrote
        p.book(empty, new Booking("p3", Resources.of(100, 0), 0), u -> false);

        assertThat(store.reads.get()).isEqualTo(2);
        assertThat(p.conflicts.sum()).isEqualTo(1);
        assertThat(store.bookings).extracting(Booking::uid).containsExactly("p1", "p2", "p3");
    }

    @Test
    void aNodeThatKeepsChangingOrAFailingStoreFailsTheBookingWithItsReason() {
        CasStore store = new CasStore();
        store.beforeWrite = () -> store.version++; // someone else always writes first
        NodeBookings p = new NodeBookings(store, new TestClock(Fixtures.T0));
        NodeCommitment empty = new NodeCommitment("n1", NODE, Resources.ZERO, Set.of(), NOW);

        assertThat(p.book(empty, new Booking("p1", Resources.of(100, 0), 0), u -> false))
                .hasValueSatisfying(why -> assertThat(why).contains("changed under each of 8 writes"));
        assertThat(p.conflicts.sum()).isEqualTo(NodeBookings.ATTEMPTS);

        CasStore broken = new CasStore();
        broken.failure = "connection refused";
        NodeBookings q = new NodeBookings(broken, new TestClock(Fixtures.T0));
        assertThat(q.book(empty, new Booking("p1", Resources.of(100, 0), 0), u -> false))
                .hasValueSatisfying(why -> assertThat(why).contains("node n1").contains("connection refused"));
        assertThat(q.failed.sum()).isEqualTo(1);
    }

    @Test
    void aStoreThatThrowsFailsTheBatchAndTheNextBookingStartsOver() {
        CasStore store = new CasStore();
        store.beforeWrite = () -> {
            throw new IllegalStateException("client closed");
        };
        NodeBookings p = new NodeBookings(store, new TestClock(Fixtures.T0));
        NodeCommitment empty = new NodeCommitment("n1", NODE, Resources.ZERO, Set.of(), NOW);

        assertThatThrownBy(() -> p.book(empty, new Booking("p1", Resources.of(100, 0), 0), u -> false))
                .hasMessage("client closed");
        assertThat(p.failed.sum()).isEqualTo(1);

        store.beforeWrite = () -> {};
        assertThat(p.book(empty, new Booking("p2", Resources.of(100, 0), 0), u -> false))
                .isEmpty();
        assertThat(store.bookings).extracting(Booking::uid).containsExactly("p2");
    }

    @Test
    void thePluginCommitsAtReserveAndBooksTheFullRequestsCheckingWhatTheTierDoesNotIgnore() {
        List<Booking> booked = new ArrayList<>();
        List<Predicate<String>> checks = new ArrayList<>();
        NodeCommitment c = new NodeCommitment("n1", NODE, Resources.ZERO, Set.of(), NOW);
        BookingPort port = new BookingPort() {
            @Override
            public NodeCommitment commitment(PodRequest pod, String node) {
                return node.equals("n1") ? c : null;
            }

            @Override
            public Optional<String> book(
                    NodeCommitment commitment, PodRequest pod, Booking booking, Predicate<String> checked) {
                booked.add(booking);
                checks.add(checked);
                return booked.size() == 1 ? Optional.empty() : Optional.of("node n1 is booked up");
            }
        };
        NodeBooking plugin = new NodeBooking(port, new FitArgs(List.of("example.com/dongle"), List.of()));
        PodRequest pod = Extremes.pod(
                "p1",
                "prod",
                new Resources(
                        100, 0, 1, 0, 0, ScalarResources.of(Map.of("example.com/dongle", 1L, "nvidia.com/gpu", 1L))));
        CycleState state = new CycleState();

        assertThat(plugin.reserve(state, pod, "n1")).isEqualTo(Status.SUCCESS);
        assertThat(plugin.preBindNeeded(state, pod)).isTrue();
        assertThat(plugin.preBind(state, pod, "n1")).isEqualTo(Status.SUCCESS);
        assertThat(booked.get(0).requests())
                .as("the full requests, the ignored dongle included")
                .isEqualTo(pod.requests());
        assertThat(checks.get(0).test("example.com/dongle")).isFalse();
        assertThat(checks.get(0).test("nvidia.com/gpu")).isTrue();
        Status second = plugin.preBind(state, pod, "n1");
        assertThat(second.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(second.plugin()).isEqualTo(NodeBooking.NAME);

        // an ignored extended resource is booked (other tiers and the kubelet count it) but not checked
        assertThat(plugin.ignored("example.com/dongle")).isTrue();
        assertThat(plugin.ignored("nvidia.com/gpu")).isFalse();
        assertThat(plugin.ignored("cpu"))
                .as("only extended resources can be ignored")
                .isFalse();
        assertThat(NodeBooking.isRefusal("NodeBooking: node n1" + BookingCheck.BOOKED_UP + "cpu 1100 > 1000"))
                .isTrue();
        assertThat(NodeBooking.isRefusal("NodeBooking: reading the bookings of node n1 failed: 403"))
                .isFalse();

        CycleState off = new CycleState();
        NodeBooking none = new NodeBooking(BookingPort.NONE, FitArgs.DEFAULTS);
        assertThat(none.reserve(off, pod, "n1")).isEqualTo(Status.SUCCESS);
        assertThat(none.preBindNeeded(off, pod))
                .as("bookings off: no PreBind hop")
                .isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other process never read");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One node's object with a version, compare-and-swap on write. Thread-safe. */
    private static final class CasStore implements BookingStore {
        volatile long version;
        volatile List<Booking> bookings = List.of();
        volatile Runnable afterRead = () -> {};
        volatile Runnable beforeWrite = () -> {};
        volatile String failure;
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Leased read(String node) {
            if (failure != null) {
                return Leased.failed(failure);
            }
            reads.incrementAndGet();
            Leased l;
            synchronized (this) {
                l = version == 0 ? Leased.ABSENT : new Leased(Long.toString(version), bookings, null);
            }
            afterRead.run();
            return l;
        }

        @Override
        public Written write(String node, String expected, List<Booking> next) {
            beforeWrite.run();
            synchronized (this) {
                String now = version == 0 ? null : Long.toString(version);
                if (!java.util.Objects.equals(now, expected)) {
                    return Written.CONFLICT;
                }
                version++;
                bookings = List.copyOf(next);
                return Written.ok(Long.toString(version));
            }
        }
    }
}
