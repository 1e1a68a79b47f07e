package io.qshard.core.booking;

import java.util.List;

/**
 * Where a node's bookings live, with compare-and-swap: one object per node (a {@code coordination.k8s.io} Lease in
 * the scheduler runtime), versioned, so that of two writers that read the same version only the first writes.
 * Called on pre-bind threads, blocking; implementations must be thread-safe. API failures are values
 * ({@link Leased#failure}, {@link Written#failure}), never exceptions.
 */
public interface BookingStore {
    /** The node's bookings and their version; {@link Leased#ABSENT} when the node has none yet. */
    Leased read(String node);

    /**
     * Writes {@code bookings} as the node's, if its object is still at {@code version} (null: creates it, if there is
     * none yet).
     */
    Written write(String node, String version, List<Booking> bookings);

    /**
     * A read.
     *
     * @param version  the object's version, or null when there is none
     * @param bookings what it holds (empty when absent)
     * @param failure  why it could not be read, or null
     */
    record Leased(String version, List<Booking> bookings, String failure) {
        public static final Leased ABSENT = new Leased(null, List.of(), null);

        public Leased {
            bookings = List.copyOf(bookings);
        }

        public static Leased failed(String why) {
            return new Leased(null, List.of(), why);
        }
    }

    /**
     * A write.
     *
     * @param version  the object's new version when written, else null
     * @param conflict true when another writer came first (re-read and try again)
     * @param failure  why it could not be written otherwise, or null
     */
    record Written(String version, boolean conflict, String failure) {
        public static final Written CONFLICT = new Written(null, true, null);

        public static Written ok(String version) {
            return new Written(version, false, null);
        }

        public static Written failed(String why) {
            return new Written(null, false, why);
        }
    }
}
