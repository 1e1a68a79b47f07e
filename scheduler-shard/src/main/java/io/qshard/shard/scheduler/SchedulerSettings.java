package io.qshard.shard.scheduler;

import io.qshard.shard.binder.Binder;
import io.qshard.shard.status.PodStatusReporter;

/**
 * Runtime knobs of a tier scheduler (the scheduling policy itself is in {@code qshard.yaml}). Immutable.
 *
 * @param bindConcurrency          bindings in flight at most (≥ 1)
 * @param scheduledEventsPerSecond per-pod {@code Scheduled} events at most; the rest are summarised
 * @param failedEventsPerSecond    {@code FailedScheduling} events + condition patches at most
 */
public record SchedulerSettings(int bindConcurrency, double scheduledEventsPerSecond, double failedEventsPerSecond) {
    public SchedulerSettings {
        if (bindConcurrency < 1 || bindConcurrency > 1024) {
            throw new IllegalArgumentException("--bind-concurrency must be 1..1024, was " + bindConcurrency);
        }
        if (!(scheduledEventsPerSecond > 0) || !(failedEventsPerSecond > 0)) {
            throw new IllegalArgumentException("event rates must be > 0");
        }
    }

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(Binder.DEFAULT_CONCURRENCY, PodStatusReporter.DEFAULT_SCHEDULED_PER_SECOND,
                PodStatusReporter.DEFAULT_FAILED_PER_SECOND);
    }
}
