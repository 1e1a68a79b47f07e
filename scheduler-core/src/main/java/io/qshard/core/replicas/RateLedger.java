package io.qshard.core.replicas;

import java.time.Duration;
import java.time.Instant;

/**
 * The cluster-wide rate of replica changes: Σ |Δ replicas| over a sliding window. Mutable, confined to one thread.
 */
public final class RateLedger {
    /** @param budget the most replicas changed per {@code window}, ≥ 1 */
    public RateLedger(int budget, Duration window) {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return what is left of the budget at {@code now}, ≥ 0 */
    public int left(Instant now) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Records {@code delta} replicas changed at {@code now}. */
    public void record(int delta, Instant now) {
        throw new UnsupportedOperationException("TODO");
    }
}
