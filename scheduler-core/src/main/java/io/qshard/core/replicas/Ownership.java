package io.qshard.core.replicas;

/**
 * Who set a hosted workload's replicas last, from its {@code spec.replicas} and the bookkeeping
 * (docs/architecture.md, "Replica hosting", never fight an owner). Pure.
 */
public enum Ownership {
    /** No bookkeeping: adopt, R := spec.replicas. */
    NEW,
    /** spec.replicas == S: the controller's last write stands. */
    STEADY,
    /** spec.replicas == F ≠ S: the annotation landed but the scale did not; retry, not a manual change. */
    NOT_LANDED,
    /** Anything else: someone else changed the replicas; it becomes the new request and starts the manual hold. */
    MANUAL;

    /** @param current spec.replicas (absent reads as 1) */
    public static Ownership classify(int current, Bookkeeping book) {
        throw new UnsupportedOperationException("TODO");
    }
}
