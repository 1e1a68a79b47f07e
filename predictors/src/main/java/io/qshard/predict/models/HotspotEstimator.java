package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * The probability that the coming window's peak crosses a threshold, conditioned on where the series stands now.
 *
 * <p>For every matured window it counts {@code actual peak − v} in the residual histogram of the band of {@code v},
 * the last sample; bands are 0–50, 50–65, 65–75, 75–85 and 85+, each with the {@link ResidualHistogram#COARSE}
 * buckets, all in one {@link HalvingCounts} (280 bytes). The probability of crossing {@code x} from {@code v} is
 * {@code 1 − CDF_band(v)(x − v)}: a series that sits at 78 learns how often it went past 80 from 78-ish before, not
 * from its quiet nights. A band with fewer than {@code minResiduals} windows borrows the pooled distribution.
 *
 * <p>Answers for any threshold. Not thread-safe.
 */
public final class HotspotEstimator {
    private static final double[] BAND_EDGES = {50, 65, 75, 85};
    private static final int BANDS = BAND_EDGES.length + 1;
    private static final double[] EDGES = ResidualHistogram.COARSE;
    private static final int BUCKETS = EDGES.length - 1;

    private final HalvingCounts counts;
    private final int[] windows = new int[BANDS];
    private final int minResiduals;

    /**
     * @param halfLifeSeconds half-life of the residuals
     * @param minResiduals    windows a band needs before it is used on its own
     */
    public HotspotEstimator(long halfLifeSeconds, int minResiduals) {
        this.counts = new HalvingCounts(BANDS * BUCKETS, halfLifeSeconds);
        this.minResiduals = minResiduals;
    }

    private static int band(double anchor) {
        int b = 0;
        while (b < BAND_EDGES.length && anchor >= BAND_EDGES[b]) {
            b++;
        }
        return b;
    }

    /** Records the outcome of a window opened with the series at {@code anchor}; NaN figures are not counted. */
    public void record(long start, double anchor, double actualMax) {
        if (Double.isNaN(anchor) || Double.isNaN(actualMax)) {
            return;
        }
        int b = band(anchor);
        counts.add(start, b * BUCKETS + ResidualHistogram.bucketOf(EDGES, actualMax - anchor));
        if (windows[b] < Integer.MAX_VALUE) {
            windows[b]++;
        }
    }

    /** @return P(peak &gt; threshold) from {@code anchor}, NaN when nothing has been recorded */
    public double probability(double anchor, double threshold) {
        int b = band(anchor);
        double x = threshold - anchor;
        return windows[b] >= minResiduals ? exceedance(b, b, x) : exceedance(0, BANDS - 1, x);
    }

    /** Share of the weight of bands {@code [from, to]} above {@code x}, interpolated in its bucket; NaN if empty. */
    private double exceedance(int from, int to, double x) {
        int bucketOfX = ResidualHistogram.bucketOf(EDGES, x);
        double below = 0;
        double total = 0;
        for (int b = from; b <= to; b++) {
            for (int i = 0; i < BUCKETS; i++) {
                int w = counts.get(b * BUCKETS + i);
                total += w;
                if (i < bucketOfX) {
                    below += w;
                } else if (i == bucketOfX) {
                    double share =
                            x <= EDGES[0] ? 0 : x >= EDGES[BUCKETS] ? 1 : (x - EDGES[i]) / (EDGES[i + 1] - EDGES[i]);
                    below += w * share;
                }
            }
        }
        return total == 0 ? Double.NaN : 1 - below / total;
    }

    /** Writes the state. */
    public void save(ByteBuffer out) {
        counts.save(out);
        for (int w : windows) {
            out.putInt(w);
        }
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        counts.restore(in);
        for (int b = 0; b < BANDS; b++) {
            windows[b] = in.getInt();
        }
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return counts.checkpointBytes() + 4 * BANDS;
    }
}
