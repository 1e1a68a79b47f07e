package io.qshard.core.booking;

import io.qshard.core.model.PodRequest;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The runtime's side of the NodeBooking plugin ({@code io.qshard.core.plugins.booking}): what the process accounts on a node, and the booking itself. Like the
 * volume binder, a collaborator that takes no part in a decision.
 */
public interface BookingPort {
    /**
     * What this process accounts on {@code node} now (decision thread, at Reserve, after the runtime's own cache
     * reservation: it includes {@code pod}); null when nothing is to be booked (bookings off).
     */
    NodeCommitment commitment(PodRequest pod, String node);

    /**
     * Books {@code booking} for {@code pod} on the commitment's node (booking or pre-bind thread, blocking,
     * thread-safe).
     *
     * @param checked which of the pod's extended resources are checked against the node (the tier's ignored ones are
     *                booked but not checked)
     * @return empty once booked; otherwise why not (the binding fails, the pod is retried); a refusal because the node
     *     is booked up contains {@link BookingCheck#BOOKED_UP}
     */
    Optional<String> book(NodeCommitment commitment, PodRequest pod, Booking booking, Predicate<String> checked);

    /** No bookings: nothing is booked and PreBind has nothing to do (one process runs every tier; tools; tests). */
    BookingPort NONE = new BookingPort() {
        @Override
        public NodeCommitment commitment(PodRequest pod, String node) {
            return null;
        }

        @Override
        public Optional<String> book(
                NodeCommitment commitment, PodRequest pod, Booking booking, Predicate<String> checked) {
            return Optional.empty();
        }
    };
}
