package io.qshard.shard.scheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency histograms of one tier scheduler. Writers are the decision thread and HTTP callback
 * threads; readers (metrics endpoint, tests, logs) may call from anywhere. Thread-safe.
 */
public final class SchedulerMetrics {
    /** Decisions that placed a pod. */
    public final LongAdder scheduled = new LongAdder();
    /** Decisions that found no node. */
    public final LongAdder unschedulable = new LongAdder();
    /** Decisions that failed with an unexpected error (plugin bug). */
    public final LongAdder errors = new LongAdder();
    /** Bindings written. */
    public final LongAdder bound = new LongAdder();
    /** Bindings refused because the pod was already bound. */
    public final LongAdder alreadyBound = new LongAdder();
    /** Bindings for pods that no longer exist. */
    public final LongAdder podGone = new LongAdder();
    /** Bindings that failed otherwise (retried with backoff). */
    public final LongAdder bindErrors = new LongAdder();

    private final Recorder decisionNanos = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final Recorder e2eMillis = new Recorder(TimeUnit.HOURS.toMillis(24), 3);
    private final Histogram decisionTotal = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram e2eTotal = new Histogram(TimeUnit.HOURS.toMillis(24), 3);

    /** Time one decision took, nanoseconds. */
    public void decision(long nanos) {
        decisionNanos.recordValue(Math.min(nanos, TimeUnit.SECONDS.toNanos(10)));
    }

    /** Time from the queue first seeing a pod to its binding, milliseconds. */
    public void endToEnd(long millis) {
        e2eMillis.recordValue(Math.max(0, Math.min(millis, TimeUnit.HOURS.toMillis(24))));
    }

    /** Cumulative decision latency histogram (ns). */
    public synchronized Histogram decisionHistogram() {
        decisionTotal.add(decisionNanos.getIntervalHistogram());
        return decisionTotal.copy();
    }

    /** Cumulative end-to-end latency histogram (ms). */
    public synchronized Histogram endToEndHistogram() {
        e2eTotal.add(e2eMillis.getIntervalHistogram());
        return e2eTotal.copy();
    }
}
