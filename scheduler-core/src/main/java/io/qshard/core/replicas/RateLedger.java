package io.qshard.core.replicas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The cluster-wide rate of replica changes: Σ |Δ replicas| over a sliding window. Mutable, confined to one thread.
 */
public final class RateLedger {
    private final int budget;
    private final Duration window;
    /** (time, delta) of the changes still inside the window, oldest first. */
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    private long used;

    private record Entry(Instant at, int delta) {}

    /**
     * @param budget the most replicas changed per {@code window}, ≥ 1
     * @param window the sliding window, &gt; 0
     * @throws IllegalArgumentException naming the bad value
     */
    public RateLedger(int budget, Duration window) {
        if (budget < 1) {
            throw new IllegalArgumentException("--max-replicas-per-minute must be >= 1, was " + budget);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rate window must be > 0, was " + window);
        }
        this.budget = budget;
        this.window = window;
    }

    /** @return what is left of the budget at {@code now}, ≥ 0: changes recorded at or before now − window are gone */
    public int left(Instant now) {
        expire(now);
        return (int) Math.max(0, budget - used);
    }

    /**
     * Records {@code delta} replicas changed at {@code now}; 0 records nothing.
     *
     * @throws IllegalArgumentException when negative (the ledger counts |Δ|)
     */
    public void record(int delta, Instant now) {
        if (delta < 0) {
            throw new IllegalArgumentException("rate delta must be >= 0, was " + delta);
        }
        if (delta > 0) {
            entries.addLast(new Entry(now, delta));
            used += delta;
        }
    }

    private void expire(Instant now) {
        Instant horizon = now.minus(window);
        while (!entries.isEmpty() && !entries.peekFirst().at().isAfter(horizon)) {
            used -= entries.removeFirst().delta();
        }
    }
}
