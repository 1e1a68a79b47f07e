package io.qshard.core.queue;

import java.time.Duration;

/**
 * Per-pod exponential backoff: {@code initial × 2^(attempts − 1)}, capped at {@code max}. Immutable.
 *
 * @param initial backoff after the first failed attempt (> 0)
 * @param max     cap (≥ initial)
 */
public record BackoffPolicy(Duration initial, Duration max) {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    public BackoffPolicy {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial must be > 0, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max (" + max + ") must be ≥ initial (" + initial + ")");
        }
    }

    public static BackoffPolicy defaults() {
        return new BackoffPolicy(DEFAULT_INITIAL, DEFAULT_MAX);
    }

    /** Backoff after {@code attempts} failed attempts (≥ 1). */
    public Duration after(int attempts) {
        Duration d = initial;
        for (int i = 1; i < attempts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
