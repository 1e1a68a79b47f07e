package io.qshard.oversale;

import io.qshard.kube.metrics.Metrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The webhook's counters and its review latency (HdrHistogram, and the exact sum of the times), read at scrape time by
 * the {@link Metrics} it was made with: the latency as the summary {@code qshard_webhook_review_seconds} (quantiles
 * 0.5, 0.9, 0.99, 0.999 over the process's life). Thread-safe.
 */
public final class WebhookMetrics {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    /** Admission reviews answered. */
    public final LongAdder reviews = new LongAdder();
    /** Reviews answered with a patch. */
    public final LongAdder patched = new LongAdder();
    /** Ratio annotations refused (the resource was left as sent, with a warning). */
    public final LongAdder refusedRatios = new LongAdder();
    /** Requests that were not a readable AdmissionReview (answered 400). */
    public final LongAdder malformed = new LongAdder();

    private final LongAdder latencySumNanos = new LongAdder();
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    /** Metrics kept here only (tests, benchmarks). */
    public WebhookMetrics() {
        this(Metrics.NOOP);
    }

    /** @param exported where the families are registered */
    public WebhookMetrics(Metrics exported) {
        counter(exported, "qshard_webhook_reviews_total", "admission reviews answered", reviews);
        counter(exported, "qshard_webhook_patched_total", "reviews answered with a patch", patched);
        counter(
                exported,
                "qshard_webhook_refused_ratios_total",
                "ratio annotations refused (left as sent, with a warning)",
                refusedRatios);
        counter(
                exported,
                "qshard_webhook_malformed_total",
                "requests that were not a readable AdmissionReview",
                malformed);
        exported.summaryWithCallback("qshard_webhook_review_seconds", "time to answer a review", List.of(), out -> {
            Histogram h = latency();
            double[] values = new double[QUANTILES.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = h.getValueAtPercentile(100 * QUANTILES[i]) / 1e9;
            }
            out.sample(h.getTotalCount(), latencySumNanos.sum() / 1e9, QUANTILES, values);
        });
    }

    /** Records one review's handling time, nanoseconds. */
    public void took(long nanos) {
        long n = Math.max(0, Math.min(nanos, TimeUnit.SECONDS.toNanos(10)));
        latencySumNanos.add(n);
        latency.recordValue(n);
    }

    /** @return every review's handling time so far (ns) */
    public synchronized Histogram latency() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }

    private static void counter(Metrics m, String name, String help, LongAdder value) {
        m.counterWithCallback(name, help, List.of(), out -> out.sample(value.sum()));
    }
}
