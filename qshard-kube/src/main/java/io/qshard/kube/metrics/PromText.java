package io.qshard.kube.metrics;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): one {@link #family} header, then its samples.
 * Label values are escaped; label names and metric names are the caller's constants. Histograms come from
 * HdrHistogram: cumulative counts at fixed bucket bounds in seconds, plus {@code _sum} and {@code _count}.
 * Not thread-safe: one instance per scrape.
 */
public final class PromText {
    /** Bucket bounds (seconds) for decision latencies: 10 µs … 1 s. */
    public static final double[] DECISION_BUCKETS = {1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 0.1, 1};
    /** Bucket bounds (seconds) for end-to-end latencies: 10 ms … 10 min. */
    public static final double[] E2E_BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600};

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a metric family: {@code type} is counter, gauge or histogram. */
    public PromText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate name, value. */
    public PromText sample(String name, double value, String... labels) {
        out.append(name);
        labels(labels, null, null);
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /**
     * The samples of a histogram family from an HdrHistogram recorded in {@code unit}.
     *
     * @param bucketsSeconds increasing upper bounds, seconds ({@code +Inf} is added)
     */
    public PromText histogram(String name, Histogram h, TimeUnit unit, double[] bucketsSeconds, String... labels) {
        double perSecond = unit.convert(1, TimeUnit.SECONDS);
        for (double le : bucketsSeconds) {
            long bound = (long) Math.floor(le * perSecond);
            long count = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, bound);
            out.append(name).append("_bucket");
            labels(labels, "le", format(le));
            out.append(' ').append(count).append('\n');
        }
        out.append(name).append("_bucket");
        labels(labels, "le", "+Inf");
        out.append(' ').append(h.getTotalCount()).append('\n');
        out.append(name).append("_sum");
        labels(labels, null, null);
        out.append(' ').append(format(h.getMean() * h.getTotalCount() / perSecond)).append('\n');
        out.append(name).append("_count");
        labels(labels, null, null);
        out.append(' ').append(h.getTotalCount()).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void labels(String[] labels, String extraName, String extraValue) {
        if (labels.length == 0 && extraName == null) {
            return;
        }
        out.append('{');
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        if (extraName != null) {
            if (labels.length > 0) {
                out.append(',');
            }
            out.append(extraName).append("=\"").append(extraValue).append('"');
        }
        out.append('}');
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString(); // shortest: 0.5, 0.00001

    }
}
