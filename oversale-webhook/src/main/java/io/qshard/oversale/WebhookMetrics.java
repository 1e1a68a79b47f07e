package io.qshard.oversale;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** The webhook's counters and its review latency (HdrHistogram), in the Prometheus text format. Thread-safe. */
public final class WebhookMetrics {
    /** Admission reviews answered. */
    public final LongAdder reviews = new LongAdder();
    /** Reviews answered with a patch. */
    public final LongAdder patched = new LongAdder();
    /** Ratio annotations refused (the resource was left as sent, with a warning). */
    public final LongAdder refusedRatios = new LongAdder();
    /** Requests that were not a readable AdmissionReview (answered 400). */
    public final LongAdder malformed = new LongAdder();
    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    /** Records one review's handling time, nanoseconds. */
    public void took(long nanos) {
        latency.recordValue(Math.min(nanos, TimeUnit.SECONDS.toNanos(10)));
    }

    /** @return every review's handling time so far (ns) */
    public synchronized Histogram latency() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }

    /** @return the metrics in the Prometheus text exposition format */
    public String render() {
        Histogram h = latency();
        StringBuilder sb = new StringBuilder(1024);
        counter(sb, "qshard_webhook_reviews_total", "admission reviews answered", reviews.sum());
        counter(sb, "qshard_webhook_patched_total", "reviews answered with a patch", patched.sum());
        counter(sb, "qshard_webhook_refused_ratios_total", "ratio annotations refused (left as sent, with a warning)",
                refusedRatios.sum());
        counter(sb, "qshard_webhook_malformed_total", "requests that were not a readable AdmissionReview", malformed.sum());
        sb.append("# HELP qshard_webhook_review_seconds time to answer a review\n# TYPE qshard_webhook_review_seconds summary\n");
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            sb.append(String.format(Locale.ROOT, "qshard_webhook_review_seconds{quantile=\"%s\"} %.9f%n", q,
                    h.getValueAtPercentile(100 * q) / 1e9));
        }
        sb.append(String.format(Locale.ROOT, "qshard_webhook_review_seconds_count %d%n", h.getTotalCount()));
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append(String.format(Locale.ROOT, "# HELP %s %s%n# TYPE %s counter%n%s %d%n", name, help, name, name, v));
    }
}
