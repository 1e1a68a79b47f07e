package io.qshard.controllers.replicas;

import io.qshard.core.replicas.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backs off the writes to a workload whose writes keep failing the same way (a 403 on {@code /scale}, a 422, an
 * admission policy's refusal): after the n-th consecutive failure no write is tried before first × 2^(n−1), at most
 * {@code cap} (the manual hold); a written change forgets the failures. At most {@value #KEPT} workloads are kept (the
 * least recently failed are forgotten). Thread-safe.
 */
final class WriteBackoff {
    static final int KEPT = 4096;

    private final Duration first;
    private final Duration cap;
    private final Map<WorkloadKey, Failing> failing = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WorkloadKey, Failing> e) {
            return size() > KEPT;
        }
    };

    /** Consecutive failures and when the next write may be tried. */
    record Failing(int count, Instant until) {}

    /**
     * @param first the wait after the first failure (the period), &gt; 0
     * @param cap   the longest wait (the manual hold), ≥ first
     */
    WriteBackoff(Duration first, Duration cap) {
        if (first == null || first.isZero() || first.isNegative() || cap == null || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "backoff: first must be > 0 and cap >= first, were " + first + ", " + cap);
        }
        this.first = first;
        this.cap = cap;
    }

    /** @return whether a write to {@code key} must wait at {@code now} */
    synchronized boolean blocked(WorkloadKey key, Instant now) {
        Failing f = failing.get(key);
        return f != null && now.isBefore(f.until());
    }

    /** Records a failed write at {@code now}. @return the failures so far, consecutive, and the next try */
    synchronized Failing failed(WorkloadKey key, Instant now) {
        Failing before = failing.get(key);
        int count = before == null ? 1 : before.count() + 1;
        Duration wait = count > 31 ? cap : first.multipliedBy(1L << Math.min(30, count - 1));
        if (wait.compareTo(cap) > 0) {
            wait = cap;
        }
        Failing f = new Failing(count, now.plus(wait));
        failing.put(key, f);
        return f;
    }

    /** A write to {@code key} was accepted (or the workload is gone): its failures are forgotten. */
    synchronized void succeeded(WorkloadKey key) {
        failing.remove(key);
    }
}
