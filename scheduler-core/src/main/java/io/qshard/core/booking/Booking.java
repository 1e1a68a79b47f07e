package io.qshard.core.booking;

import io.qshard.core.model.Resources;
import java.util.Objects;

/**
 * One placement booked on a node's Lease: the pod, what it counts against the node's allocatable, and when it was
 * booked. Immutable.
 *
 * @param uid      the pod's uid
 * @param requests what the pod counts against the node's allocatable: its full effective requests and one pod slot
 *                 (extended resources its own tier ignores included: other tiers and the kubelet count them)
 * @param atMillis when it was booked, epoch milliseconds of the booking process's clock (0 before it is written)
 */
public record Booking(String uid, Resources requests, long atMillis) {
    public Booking {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(requests, "requests");
    }

    /** This booking stamped at {@code millis}. */
    public Booking at(long millis) {
        return new Booking(uid, requests, millis);
    }
}
