package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * The distribution of recent residuals {@code actual peak − forecast}, as an exponentially decaying histogram
 * from −100 to +100 whose buckets are fine near zero, where a good forecast's errors are: {@link #FINE} (72 buckets:
 * 0.5 units wide within ±5, 1 within ±15, 2.5 within ±40, 10 beyond) or {@link #COARSE} (28 buckets). Its quantiles
 * turn a point forecast into an upper bound with a chosen coverage, and its CDF gives the probability that the peak
 * crosses a threshold. Old residuals fade with the half-life, so the bound follows a series whose behaviour changes.
 *
 * <p>Counts are {@link HalvingCounts}: 2 bytes per bucket. Not thread-safe.
 */
public final class ResidualHistogram {
    /** Lowest residual represented; smaller ones count in the first bucket. */
    public static final double MIN = -100;
    /** Bucket edges for the models' residuals: 72 buckets. */
    public static final double[] FINE = fineEdges();
    /** Bucket edges for the hotspot bands: 28 buckets, finer on the positive side. */
    public static final double[] COARSE = {
        -100, -60, -40, -30, -20, -15, -10, -7, -5, -3, -2, -1, 0, 1, 2, 3, 5, 7, 10, 13, 16, 20, 25, 30, 40, 50, 60,
        80, 100
    };

    private final double[] edges;
    private final HalvingCounts counts;
    private int added;

    /** A histogram with the {@link #FINE} buckets. */
    public ResidualHistogram(long halfLifeSeconds) {
        this(halfLifeSeconds, FINE);
    }

    /**
     * @param halfLifeSeconds how fast old residuals fade, &gt; 0
     * @param edges           increasing bucket edges from {@link #MIN} to +100 (shared, not copied: use the constants)
     */
    public ResidualHistogram(long halfLifeSeconds, double[] edges) {
        if (halfLifeSeconds <= 0) {
            throw new IllegalArgumentException("residual half-life must be > 0");
        }
        this.edges = edges;
        this.counts = new HalvingCounts(edges.length - 1, halfLifeSeconds);
    }

    /** Adds a residual observed at {@code timeSeconds} (non-decreasing across calls); a NaN residual is not counted. */
    public void add(long timeSeconds, double residual) {
        if (Double.isNaN(residual)) {
            return;
        }
        counts.add(timeSeconds, bucketOf(residual));
        if (added < Integer.MAX_VALUE) {
            added++;
        }
    }

    /** @return how many residuals were ever added (undecayed) */
    public double count() {
        return added;
    }

    /** @return the q-quantile, interpolated inside its bucket; NaN when empty */
    public double quantile(double q) {
        int total = counts.total();
        if (total <= 0) {
            return Double.NaN;
        }
        double target = q * total;
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < counts.size(); i++) {
            int w = counts.get(i);
            if (w > 0) {
                if (cumulative + w >= target) {
                    return edges[i] + (edges[i + 1] - edges[i]) * (target - cumulative) / w;
                }
                last = i;
            }
            cumulative += w;
        }
        return edges[last + 1];
    }

    /** @return the share of weight at or below {@code x}, in [0, 1], interpolated; NaN when empty or x is NaN */
    public double cdf(double x) {
        int total = counts.total();
        if (total <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= MIN) {
            return 0;
        }
        int whole = bucketOf(x);
        double cumulative = 0;
        for (int i = 0; i < whole; i++) {
            cumulative += counts.get(i);
        }
        if (x >= edges[counts.size()]) {
            cumulative += counts.get(whole);
        } else {
            cumulative += counts.get(whole) * (x - edges[whole]) / (edges[whole + 1] - edges[whole]);
        }
        return Math.min(1, cumulative / total);
    }

    /** 6 × 10, 10 × 2.5, 10 × 1, 20 × 0.5, 10 × 1, 10 × 2.5, 6 × 10 units, from −100 to +100. */
    private static double[] fineEdges() {
        double[] widths = {10, 2.5, 1, 0.5, 1, 2.5, 10};
        int[] parts = {6, 10, 10, 20, 10, 10, 6};
        double[] e = new double[73];
        e[0] = MIN;
        int i = 0;
        for (int part = 0; part < widths.length; part++) {
            for (int k = 0; k < parts[part]; k++, i++) {
                e[i + 1] = e[i] + widths[part];
            }
        }
        return e;
    }

    private int bucketOf(double r) {
        return bucketOf(edges, r);
    }

    /**
     * @return the bucket of {@code r} among {@code edges}, clamped to the first and last (NaN: the last — a binary
     *         search would place it past the end)
     */
    static int bucketOf(double[] edges, double r) {
        int buckets = edges.length - 1;
        if (r < edges[0]) {
            return 0;
        }
        if (!(r < edges[buckets])) {
            return buckets - 1;
        }
        int at = java.util.Arrays.binarySearch(edges, r);
        return at >= 0 ? at : -at - 2;
    }

    /** Writes the state. */
    public void save(ByteBuffer out) {
        out.putInt(added);
        counts.save(out);
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        added = in.getInt();
        counts.restore(in);
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 4 + counts.checkpointBytes();
    }
}
