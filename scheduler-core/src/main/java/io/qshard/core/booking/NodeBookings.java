package io.qshard.core.booking;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The booking protocol of one scheduler process (docs/architecture.md, "Node bookings"): before a pod is bound to a
 * node, it is booked on the node's object in a {@link BookingStore} — read, check ({@link BookingCheck}), write back
 * at the version read. A writer that lost the race re-reads and checks again, so every booking on a node was checked
 * against every earlier one that still counts. Bookings count for the TTL ({@link #ttlFor}: longer than the booked pod
 * can wait in VolumeBinding's PreBind before it binds, plus 30 s for the binding to reach every process's informers);
 * after that the pod itself is in every process's view. They are judged as they stood when the commitment was taken
 * ({@link BookingCheck}) and kept on the Lease for {@link #retention}.
 *
 * <p>Within the process, the bookings of one node are group-committed: they would only conflict with each other, so
 * whichever caller holds the node's lock checks every booking waiting for the node, one after the other (each counts
 * the ones admitted before it), and writes the admitted ones in one write. The node's object as this process last
 * wrote it is kept: the next batch writes at that version without reading first, and reads only after another
 * process wrote (a conflict) or when it would refuse. In a burst a booking therefore costs a fraction of one write;
 * alone, one write when this process is the node's only recent writer, one read and one write otherwise.
 *
 * <p>One batch gives up after {@link #BATCH_DEADLINE} (checked before each read and write, so at most one store
 * request longer): one slow node fails its own bookings (the pods are retried) instead of holding the threads of every
 * booking behind it. Thread-safe; {@link #book} blocks on the store (booking or pre-bind threads only).
 */
public final class NodeBookings {
    /** How long a booking counts at least (and by default): 60 s. */
    public static final Duration TTL = Duration.ofSeconds(60);
    /** What the TTL adds to the volume bind timeout: the binding itself and the informers' lag. */
    public static final Duration BIND_MARGIN = Duration.ofSeconds(30);
    /** How long one batch of one node may take before its bookings fail: 10 s. */
    public static final Duration BATCH_DEADLINE = Duration.ofSeconds(10);
    /** Writes tried per batch before its bookings fail (their pods are retried with backoff). */
    public static final int ATTEMPTS = 8;

    private final BookingStore store;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentHashMap<String, NodeQueue> nodes = new ConcurrentHashMap<>();

    /** Bookings written. */
    public final LongAdder booked = new LongAdder();
    /** Bookings refused: the node is booked up. */
    public final LongAdder refused = new LongAdder();
    /** Writes that lost the race to another writer (re-read and retried). */
    public final LongAdder conflicts = new LongAdder();
    /**
     * Bookings that failed: a commitment older than the TTL, a store failure, a node that kept changing for
     * {@link #ATTEMPTS} writes, or a batch past {@link #BATCH_DEADLINE}.
     */
    public final LongAdder failed = new LongAdder();
    /** Writes (each books one or more pods). */
    public final LongAdder writes = new LongAdder();

    private final LongAdder calls = new LongAdder();
    private final LongAdder storeReads = new LongAdder();
    private final LongAdder readNanos = new LongAdder();
    private final LongAdder storeWrites = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    public NodeBookings(BookingStore store, Clock clock) {
        this(store, clock, TTL);
    }

    /** @param ttl how long a booking counts (&gt; 0) */
    public NodeBookings(BookingStore store, Clock clock, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("booking ttl must be > 0, was " + ttl);
        }
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * The TTL for a runtime whose VolumeBinding PreBind waits at most {@code volumeBindTimeout} after the booking:
     * {@code max(60 s, volumeBindTimeout + 30 s)}, so that a booking still counts when its pod binds.
     */
    public static Duration ttlFor(Duration volumeBindTimeout) {
        Duration t = volumeBindTimeout.plus(BIND_MARGIN);
        return t.compareTo(TTL) > 0 ? t : TTL;
    }

    /** How long a booking counts. */
    public Duration ttl() {
        return ttl;
    }

    /**
     * How long a booking stays on the Lease, and a deleted pod in {@code gone}: 2 × TTL — a commitment up to a TTL old
     * is judged at its own time ({@link BookingCheck#staleness}).
     */
    public Duration retention() {
        return ttl.multipliedBy(2);
    }

    /** {@link #book(NodeCommitment, Booking, Predicate, Predicate)} checking every resource the pod requests. */
    public Optional<String> book(NodeCommitment c, Booking mine, Predicate<String> gone) {
        return book(c, mine, name -> true, gone);
    }

    /**
     * Books {@code mine} (the pod's full requests) on the commitment's node.
     *
     * @param checked which of the pod's extended resources are checked (thread-safe; see {@link BookingCheck})
     * @param gone    uids of pods the process has seen deleted (thread-safe)
     * @return empty once written; otherwise why not: the node is booked up ({@link #refused}; the message contains
     *     {@link BookingCheck#BOOKED_UP}), or the commitment is older than the TTL, the store failed, kept changing or
     *     took longer than {@link #BATCH_DEADLINE} ({@link #failed})
     */
    public Optional<String> book(NodeCommitment c, Booking mine, Predicate<String> checked, Predicate<String> gone) {
        long t0 = System.nanoTime();
        NodeQueue q = nodes.computeIfAbsent(c.node(), n -> new NodeQueue());
        Request r = new Request(c, mine, checked, gone);
        q.waiting.add(r);
        synchronized (q) {
            if (r.result == null) { // not settled by the batch of an earlier holder of the lock
                runBatch(c.node(), q);
            }
        }
        long took = System.nanoTime() - t0;
        calls.increment();
        nanos.add(took);
        maxNanos.accumulate(took);
        return r.result;
    }

    /**
     * Settles every booking waiting for {@code node} (holding its lock). If the store throws (a bug: its failures are
     * values), every booking of the batch fails with that, and the exception goes on to this caller.
     */
    private void runBatch(String node, NodeQueue q) {
        List<Request> batch = new ArrayList<>();
        long now = clock.millis();
        for (Request r; (r = q.waiting.poll()) != null; ) {
            String stale = BookingCheck.staleness(r.commitment, now, ttl);
            if (stale == null) {
                batch.add(r);
            } else {
                failed.increment();
                r.result = Optional.of(stale);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            settleBatch(node, q, batch);
        } catch (RuntimeException | Error e) {
            fail(q, batch, "booking on node " + node + " failed: " + e);
            throw e;
        }
    }

    private void settleBatch(String node, NodeQueue q, List<Request> batch) {
        BookingStore.Leased seen = q.written;
        boolean read = false;
        long deadline = clock.millis() + BATCH_DEADLINE.toMillis();
        for (int attempt = 0; attempt < ATTEMPTS; ) {
            if (pastDeadline(node, q, batch, deadline)) {
                return;
            }
            if (seen == null) {
                long r0 = System.nanoTime();
                seen = store.read(node);
                storeReads.increment();
                readNanos.add(System.nanoTime() - r0);
                read = true;
                if (seen.failure() != null) {
                    fail(q, batch, "reading the bookings of node " + node + " failed: " + seen.failure());
                    return;
                }
            }
            long now = clock.millis();
            List<Booking> next = seen.bookings();
            List<Optional<String>> results = new ArrayList<>(batch.size());
            boolean admitted = false;
            boolean stale = false;
            for (Request r : batch) {
                String why = BookingCheck.refusal(r.commitment, r.mine, next, r.gone, r.checked, now, ttl);
                if (why != null && !read) { // refused on this process's own last write: look at the node as it is now
                    stale = true;
                    break;
                }
                if (why == null) {
                    next = BookingCheck.next(next, r.mine, now, retention());
                    admitted = true;
                }
                results.add(why == null ? Optional.empty() : Optional.of(why));
            }
            if (stale) {
                seen = null;
                continue;
            }
            if (!admitted) {
                settle(batch, results);
                return;
            }
            if (pastDeadline(node, q, batch, deadline)) {
                return;
            }
            attempt++;
            long w0 = System.nanoTime();
            BookingStore.Written w = store.write(node, seen.version(), next);
            storeWrites.increment();
            writeNanos.add(System.nanoTime() - w0);
            if (w.failure() != null) {
                fail(q, batch, "writing the bookings of node " + node + " failed: " + w.failure());
                return;
            }
            if (!w.conflict()) {
                writes.increment();
                q.written = new BookingStore.Leased(w.version(), next, null);
                settle(batch, results);
                return;
            }
            conflicts.increment();
            seen = null; // another writer came first: read what it wrote, check again
            read = false;
        }
        fail(
                q,
                batch,
                "the bookings of node " + node + " changed under each of " + ATTEMPTS
                        + " writes (other scheduler processes); retrying the pod");
    }

    /** Fails the batch if {@link #BATCH_DEADLINE} has passed since it started. */
    private boolean pastDeadline(String node, NodeQueue q, List<Request> batch, long deadline) {
        if (clock.millis() < deadline) {
            return false;
        }
        fail(
                q,
                batch,
                "booking on node " + node + " took longer than " + BATCH_DEADLINE.toSeconds()
                        + " s (a slow or unreachable apiserver); retrying the pod");
        return true;
    }

    private void settle(List<Request> batch, List<Optional<String>> results) {
        for (int i = 0; i < batch.size(); i++) {
            Optional<String> result = results.get(i);
            (result.isEmpty() ? booked : refused).increment();
            batch.get(i).result = result;
        }
    }

    /** Fails the bookings of {@code batch} not settled yet. */
    private void fail(NodeQueue q, List<Request> batch, String why) {
        q.written = null;
        for (Request r : batch) {
            if (r.result == null) {
                failed.increment();
                r.result = Optional.of(why);
            }
        }
    }

    /** Bookings tried so far (thread-safe). */
    public Stats stats() {
        long n = calls.sum();
        return new Stats(
                n,
                booked.sum(),
                refused.sum(),
                conflicts.sum(),
                failed.sum(),
                writes.sum(),
                n == 0 ? 0 : nanos.sum() / n / 1000,
                maxNanos.get() / 1000,
                storeReads.sum(),
                mean(readNanos, storeReads),
                storeWrites.sum(),
                mean(writeNanos, storeWrites));
    }

    private static long mean(LongAdder totalNanos, LongAdder count) {
        long n = count.sum();
        return n == 0 ? 0 : totalNanos.sum() / n / 1000;
    }

    /**
     * Counters and latency of {@link #book} (microseconds, waits for the node's lock included).
     *
     * @param calls      bookings tried
     * @param booked     written
     * @param refused    node booked up
     * @param conflicts  writes that lost a race
     * @param failed     store failures, or too many conflicts
     * @param writes     writes that succeeded (each booked one or more pods)
     * @param meanMicros mean time of one {@link #book}
     * @param maxMicros  longest
     * @param reads      reads of the store
     * @param readMicros mean time of one read
     * @param storeWrites writes tried (conflicts included)
     * @param writeMicros mean time of one write
     */
    public record Stats(
            long calls,
            long booked,
            long refused,
            long conflicts,
            long failed,
            long writes,
            long meanMicros,
            long maxMicros,
            long reads,
            long readMicros,
            long storeWrites,
            long writeMicros) {}

    /** One node's waiting bookings and, guarded by its monitor, its object as this process last wrote it. */
    private static final class NodeQueue {
        final Queue<Request> waiting = new ConcurrentLinkedQueue<>();
        BookingStore.Leased written;
    }

    /** One booking; {@link #result} is written and read under the node's monitor. */
    private static final class Request {
        final NodeCommitment commitment;
        final Booking mine;
        final Predicate<String> checked;
        final Predicate<String> gone;
        Optional<String> result;

        Request(NodeCommitment commitment, Booking mine, Predicate<String> checked, Predicate<String> gone) {
            this.commitment = commitment;
            this.mine = mine;
            this.checked = checked;
            this.gone = gone;
        }
    }
}
