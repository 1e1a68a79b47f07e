package io.qshard.core.replicas;

import java.time.Duration;
import java.time.Instant;

/**
 * Who set a hosted workload's replicas last, from its {@code spec.replicas} and the bookkeeping
 * (docs/architecture.md, "Replica hosting", never fight an owner). Pure.
 */
public enum Ownership {
    /** No bookkeeping: adopt, R := spec.replicas. */
    NEW,
    /** spec.replicas == S: the controller's last write stands. */
    STEADY,
    /**
     * spec.replicas == F ≠ S within a grace after the controller's own change: the annotation landed but the scale did
     * not; retry, not a manual change.
     */
    NOT_LANDED,
    /** Anything else: someone else changed the replicas; it becomes the new request and starts the manual hold. */
    MANUAL;

    /**
     * As {@link #classify(int, Bookkeeping)}, but C == F ≠ S is NOT_LANDED only while {@code now < changedAt + grace}
     * (a refused scale is retried in the next cycle); later, or with no change time, it is an owner's revert to the
     * value before hosting's write: MANUAL. The controller uses this one.
     *
     * @param current spec.replicas (absent reads as 1)
     * @param book    the bookkeeping (null reads as {@link Bookkeeping#NONE})
     * @param now     the cycle's time
     * @param grace   how long after its own change a C == F is taken for a write that did not land, ≥ 0
     */
    public static Ownership classify(int current, Bookkeeping book, Instant now, Duration grace) {
        Ownership o = classify(current, book);
        if (o != NOT_LANDED) {
            return o;
        }
        Instant changedAt = book.changedAt();
        boolean recent = changedAt != null
                && now.isBefore(changedAt.plus(grace))
                && !changedAt.isAfter(now.plus(ReplicaGovernor.FUTURE_SKEW));
        return recent ? NOT_LANDED : MANUAL;
    }

    /**
     * Without time: C == F ≠ S reads as NOT_LANDED however long ago the change was. Kept for callers that model a
     * single write (tests, the bench scenario, which never reverts by hand); the controller uses
     * {@link #classify(int, Bookkeeping, Instant, Duration)}.
     *
     * <pre>
     * no S (set) annotation        → NEW
     * current == S                 → STEADY
     * current == F (set-from) ≠ S  → NOT_LANDED
     * anything else                → MANUAL
     * </pre>
     *
     * @param current spec.replicas (absent reads as 1)
     * @param book    the bookkeeping (null reads as {@link Bookkeeping#NONE})
     */
    public static Ownership classify(int current, Bookkeeping book) {
        if (book == null || book.set() == null) {
            return NEW;
        }
        if (current == book.set()) {
            return STEADY;
        }
        if (book.setFrom() != null && current == book.setFrom()) {
            return NOT_LANDED;
        }
        return MANUAL;
    }
}
