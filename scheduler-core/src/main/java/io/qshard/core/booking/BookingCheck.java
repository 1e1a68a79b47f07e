package io.qshard.core.booking;

import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The arithmetic of node bookings (pure; thread-safe). A booking counts while it is younger than the TTL <em>at the
 * time the commitment was taken</em> ({@link NodeCommitment#takenAtMillis}; at now if that is later), unless its pod is
 * already counted in the process's own view of the node ({@link NodeCommitment#knownUids}) or the process has seen
 * the pod deleted. Judging at the commitment's time keeps the invariant whatever the wait between Reserve and PreBind:
 * a pod missing from the view was not yet bound (or not yet seen bound) when the view was taken, so its booking was
 * then younger than the TTL; judged at a later now it might have expired and counted nowhere. Bookings are therefore
 * kept on the Lease for {@link NodeBookings#retention} (2 × TTL), and a commitment older than the TTL is not judged at
 * all ({@link #staleness}). A pod fits when, for its pod slot and every resource it requests (&gt; 0) that its tier
 * checks,
 *
 * <pre>
 * used = known + Σ requests of the bookings that count + the pod (unless known)  ≤  allocatable
 * </pre>
 *
 * Every booking carries the pod's full requests (extended resources its own tier ignores included): another tier may
 * not ignore them, and the kubelet counts them all.
 */
public final class BookingCheck {
    /** What every refusal says after the node's name: how a refusal is told apart from a failure. */
    public static final String BOOKED_UP = " is booked up by other scheduler processes: ";

    private BookingCheck() {}

    /** Whether {@code b} still counts at {@code atMillis}: booked less than {@code ttl} before it. */
    public static boolean live(Booking b, long atMillis, Duration ttl) {
        return atMillis - b.atMillis() < ttl.toMillis();
    }

    /**
     * Why the commitment is too old to be judged at {@code nowMillis} (taken a TTL or more ago: bookings it did not see
     * may have been pruned from the Lease since), or null. The booking then fails and the pod is retried on a fresh
     * view.
     */
    public static String staleness(NodeCommitment c, long nowMillis, Duration ttl) {
        long age = nowMillis - c.takenAtMillis();
        return age < ttl.toMillis()
                ? null
                : "the view of node " + c.node() + " this placement was decided on is " + age / 1000 + " s old (≥ the "
                        + ttl.toSeconds() + " s booking TTL); retrying the pod on a fresh view";
    }

    /** {@link #refusal(NodeCommitment, Booking, List, Predicate, Predicate, long, Duration)} checking every resource. */
    public static String refusal(
            NodeCommitment c,
            Booking mine,
            List<Booking> onLease,
            Predicate<String> gone,
            long nowMillis,
            Duration ttl) {
        return refusal(c, mine, onLease, gone, name -> true, nowMillis, ttl);
    }

    /**
     * Why {@code mine} cannot be booked on the commitment's node, or null when it fits.
     *
     * @param onLease the node's bookings as read from its Lease
     * @param gone    uids of pods the process has seen deleted (their bookings no longer count)
     * @param checked which of the pod's extended resources are checked (its tier's {@code ignoredResources} are not);
     *                the pod slot, cpu, memory and the batch pair always are
     */
    public static String refusal(
            NodeCommitment c,
            Booking mine,
            List<Booking> onLease,
            Predicate<String> gone,
            Predicate<String> checked,
            long nowMillis,
            Duration ttl) {
        long at = Math.min(nowMillis, c.takenAtMillis());
        Resources used = c.known();
        for (Booking b : onLease) {
            if (live(b, at, ttl)
                    && !b.uid().equals(mine.uid())
                    && !c.knownUids().contains(b.uid())
                    && !gone.test(b.uid())) {
                used = used.plus(b.requests());
            }
        }
        if (!c.knownUids().contains(mine.uid())) {
            used = used.plus(mine.requests());
        }
        Resources want = mine.requests();
        Resources alloc = c.allocatable();
        List<String> over = new ArrayList<>(1);
        check(over, ResourceNames.PODS, want.pods(), used.pods(), alloc.pods());
        check(over, ResourceNames.CPU, want.milliCpu(), used.milliCpu(), alloc.milliCpu());
        check(over, ResourceNames.MEMORY, want.memoryBytes(), used.memoryBytes(), alloc.memoryBytes());
        check(over, ResourceNames.BATCH_CPU, want.batchMilliCpu(), used.batchMilliCpu(), alloc.batchMilliCpu());
        check(
                over,
                ResourceNames.BATCH_MEMORY,
                want.batchMemoryBytes(),
                used.batchMemoryBytes(),
                alloc.batchMemoryBytes());
        ScalarResources asked = want.scalars();
        for (int i = 0; i < asked.size(); i++) {
            String name = asked.name(i);
            if (checked.test(name)) {
                check(
                        over,
                        name,
                        asked.amount(i),
                        used.scalars().get(name),
                        alloc.scalars().get(name));
            }
        }
        return over.isEmpty() ? null : "node " + c.node() + BOOKED_UP + String.join(", ", over);
    }

    private static void check(List<String> over, String resource, long want, long used, long allocatable) {
        if (want > 0 && used > allocatable) {
            over.add(resource + " " + used + " > " + allocatable + " allocatable");
        }
    }

    /**
     * What to write back: the bookings younger than {@code keep} (an earlier one of the same pod replaced) and
     * {@code mine} at now. {@code keep} is {@link NodeBookings#retention}: a booking must stay on the Lease as long as
     * a commitment that may still be judged could count it.
     */
    public static List<Booking> next(List<Booking> onLease, Booking mine, long nowMillis, Duration keep) {
        List<Booking> out = new ArrayList<>(onLease.size() + 1);
        for (Booking b : onLease) {
            if (live(b, nowMillis, keep) && !b.uid().equals(mine.uid())) {
                out.add(b);
            }
        }
        out.add(mine.at(nowMillis));
        return out;
    }
}
