package io.qshard.shard.scheduler;

import io.qshard.core.booking.Booking;
import io.qshard.core.booking.BookingPort;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.booking.NodeCommitment;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.volume.VolumeWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The NodeBooking plugin's port in a tier scheduler: the commitment is the instance's {@link ClusterState} view of
 * the node at Reserve (decision thread; it includes the pod, which the runtime's cache reservation assumed first); the
 * booking goes through the process's {@link NodeBookings} (pre-bind thread), fenced like a volume binding, with the
 * pods this instance has seen deleted within the bookings' retention (2 × TTL) as {@code gone}. Thread-safety: as {@link BookingPort}
 * states per method; {@link #podGone} and {@link #expire} from the decision thread.
 */
final class StateBookings implements BookingPort {
    private final ClusterState state;
    private final NodeBookings bookings;
    private final Function<PodRequest, VolumeWriter.Fence> fences;
    private final Clock clock;
    /** uid → when this instance saw the pod deleted or finished (epoch ms). */
    private final Map<String, Long> gone = new ConcurrentHashMap<>();

    StateBookings(
            ClusterState state, NodeBookings bookings, Function<PodRequest, VolumeWriter.Fence> fences, Clock clock) {
        this.state = state;
        this.bookings = bookings;
        this.fences = fences;
        this.clock = clock;
    }

    @Override
    public NodeCommitment commitment(PodRequest pod, String node) {
        return state.node(node).map(n -> NodeCommitment.of(n, clock.millis())).orElse(null);
    }

    @Override
    public Optional<String> book(
            NodeCommitment commitment, PodRequest pod, Booking booking, Predicate<String> checked) {
        String stop = fences.apply(pod).stopReason();
        if (stop != null) {
            return Optional.of(stop);
        }
        return bookings.book(commitment, booking, checked, gone::containsKey);
    }

    /** The pod was deleted, or finished: a booking of it no longer counts here. */
    void podGone(String uid) {
        gone.put(uid, clock.millis());
    }

    /** Forgets the deletions older than the bookings' retention (their bookings count nowhere any more). */
    void expire() {
        long before = clock.millis() - bookings.retention().toMillis();
        gone.values().removeIf(at -> at < before);
    }
}
