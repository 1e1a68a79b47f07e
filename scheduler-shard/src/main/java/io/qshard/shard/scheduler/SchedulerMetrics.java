package io.qshard.shard.scheduler;

import io.qshard.kube.metrics.Metrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency histograms of one tier scheduler. The counters are read at scrape time
 * ({@link SchedulerMetricsExport}); each latency goes to an HdrHistogram (logs, the demo report) and, once
 * {@link #export}ed, to a Prometheus histogram series of its (tier, shard) with a real sum. Writers are the decision
 * thread and HTTP callback threads; readers (metrics endpoint, tests, logs) may call from anywhere. Thread-safe.
 */
public final class SchedulerMetrics {
    /** Decision latency bucket bounds, seconds: 10 µs … 1 s. */
    public static final double[] DECISION_BUCKETS = {
        1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 0.1, 1
    };
    /** Queue-to-bound latency bucket bounds, seconds: 10 ms … 10 min. */
    public static final double[] E2E_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600};

    /** Decisions that placed a pod. */
    public final LongAdder scheduled = new LongAdder();
    /** Decisions that found no node. */
    public final LongAdder unschedulable = new LongAdder();
    /** Decisions that failed with an unexpected error (plugin bug). */
    public final LongAdder errors = new LongAdder();
    /** Decisions whose node a Reserve or Permit step refused (lease lost, node released while deciding). */
    public final LongAdder rejected = new LongAdder();
    /** Bindings written. */
    public final LongAdder bound = new LongAdder();
    /** Bindings refused because the pod was already bound to another node (a same-node 409 counts as bound). */
    public final LongAdder alreadyBound = new LongAdder();
    /** Bindings for pods that no longer exist. */
    public final LongAdder podGone = new LongAdder();
    /** Bindings that failed otherwise (retried with backoff). */
    public final LongAdder bindErrors = new LongAdder();
    /** PostFilter runs: pods no node fit that the tier's preemption was asked about (1.20's preemption_attempts). */
    public final LongAdder preemptionAttempts = new LongAdder();
    /** Preemptions decided: a node nominated (its victims handed to the writer). */
    public final LongAdder preemptions = new LongAdder();
    /** Preemption attempts that found nothing: ineligible, no potential node, or no candidate (capped ones apart). */
    public final LongAdder preemptionsFailed = new LongAdder();
    /** Preemption attempts refused because every candidate was over the cross-tier eviction caps. */
    public final LongAdder preemptionsCapped = new LongAdder();
    /** Victims chosen, by the victim's tier ({@code other} for other schedulers' pods). */
    public final java.util.concurrent.ConcurrentHashMap<String, LongAdder> victimsByTier =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Candidate nodes passed over because removing their victims would break a PodDisruptionBudget. */
    public final LongAdder pdbRefusals = new LongAdder();
    /** Victims chosen although removing them breaks a PodDisruptionBudget (no candidate without). */
    public final LongAdder pdbViolations = new LongAdder();

    private final Recorder decisionNanos = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final Recorder e2eMillis = new Recorder(TimeUnit.HOURS.toMillis(24), 3);
    private final Histogram decisionTotal = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram e2eTotal = new Histogram(TimeUnit.HOURS.toMillis(24), 3);
    private volatile Metrics.Histogram decisionSeconds = seconds -> {};
    private volatile Metrics.Histogram e2eSeconds = seconds -> {};

    /**
     * Sends the latencies recorded from now on to these series as well (seconds); before, they go to the HdrHistograms
     * only. Called once, by the process that serves them, before the instance decides.
     */
    public void export(Metrics.Histogram decisionSeconds, Metrics.Histogram endToEndSeconds) {
        this.decisionSeconds = decisionSeconds;
        this.e2eSeconds = endToEndSeconds;
    }

    /** Time one decision took, nanoseconds. */
    public void decision(long nanos) {
        long n = Math.max(0, Math.min(nanos, TimeUnit.SECONDS.toNanos(10)));
        decisionNanos.recordValue(n);
        decisionSeconds.observe(n / 1e9);
    }

    /** Time from the queue first seeing a pod to its binding, milliseconds. */
    public void endToEnd(long millis) {
        long ms = Math.max(0, Math.min(millis, TimeUnit.HOURS.toMillis(24)));
        e2eMillis.recordValue(ms);
        e2eSeconds.observe(ms / 1e3);
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
