package io.qshard.bench.e2e;

import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of one contender's binding window, from the time each binding was seen: seconds from the first binding
 * until 10, 50, 90, 99 and 100 % of them, bindings per 250 ms, and the rate between 10 and 90 % — it tells a slow
 * start, a slow middle and stragglers apart, which the single first→last rate cannot. Immutable.
 *
 * @param secondsTo  seconds from the first binding to each of {@link #QUANTILES}
 * @param perBucket  bindings seen in each {@link #BUCKET_NANOS} from the first one
 * @param middleRate bindings per second between the 10 % and the 90 % binding
 */
record BindingTimeline(double[] secondsTo, int[] perBucket, double middleRate) {
    /** The quantiles of {@link #secondsTo}. */
    static final double[] QUANTILES = {0.10, 0.50, 0.90, 0.99, 1.0};

    static final long BUCKET_NANOS = 250_000_000L;

    /**
     * @param nanos binding times from one monotonic clock ({@link System#nanoTime}), in any order; at least 2
     */
    static BindingTimeline of(long[] nanos) {
        if (nanos.length < 2) {
            throw new IllegalArgumentException("a timeline needs at least 2 bindings, got " + nanos.length);
        }
        long[] t = nanos.clone();
        Arrays.sort(t);
        double[] to = new double[QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
            to[q] = (t[index(t.length, QUANTILES[q])] - t[0]) / 1e9;
        }
        int[] buckets = new int[(int) ((t[t.length - 1] - t[0]) / BUCKET_NANOS) + 1];
        for (long x : t) {
            buckets[(int) ((x - t[0]) / BUCKET_NANOS)]++;
        }
        int from = index(t.length, 0.10);
        int to90 = index(t.length, 0.90);
        double span = (t[to90] - t[from]) / 1e9;
        return new BindingTimeline(to, buckets, span > 0 ? (to90 - from) / span : Double.POSITIVE_INFINITY);
    }

    /** Bindings seen in the first {@code seconds} from the first binding, to whole 250 ms buckets (rounded down). */
    int boundWithin(double seconds) {
        int buckets = (int) Math.min(perBucket.length, Math.floor(seconds * 1e9 / BUCKET_NANOS));
        int n = 0;
        for (int i = 0; i < buckets; i++) {
            n += perBucket[i];
        }
        return n;
    }

    /** The binding at quantile {@code q} of {@code n} (nearest rank, 0-based). */
    private static int index(int n, double q) {
        return (int) Math.min(n - 1, Math.round(q * (n - 1)));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int q = 0; q < QUANTILES.length; q++) {
            b.append(String.format(Locale.ROOT, "%.0f%% %.2f s, ", QUANTILES[q] * 100, secondsTo[q]));
        }
        return b.append("per 250 ms ")
                .append(Arrays.toString(perBucket))
                .append(String.format(Locale.ROOT, ", 10→90%%: %.0f pods/s", middleRate))
                .toString();
    }
}
