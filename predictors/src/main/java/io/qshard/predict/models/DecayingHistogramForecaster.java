package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * A percentile of an exponentially decaying histogram of the samples, as VPA's recommender and Autopilot do: each
 * sample adds weight {@code 2^(t / halfLife)} to its bucket, so a sample one half-life old counts half as much as a
 * new one. The forecast is the chosen percentile, whatever the horizon.
 *
 * <p>{@value #BUCKETS} buckets {@value #WIDTH} units wide from 0 to 128 (values above land in the last bucket); the
 * percentile is
 * interpolated inside its bucket. Weights are {@link HalvingCounts} (2 bytes per bucket).
 */
public final class DecayingHistogramForecaster implements PeakForecaster {
    /** Name in reports and checkpoints. */
    public static final String NAME = "histogram";
    /** Number of buckets. */
    public static final int BUCKETS = 64;
    /** Width of a bucket, in the series' unit. */
    public static final int WIDTH = 2;
    /** Default half-life: 24 hours (VPA's default). */
    public static final long DEFAULT_HALF_LIFE_SECONDS = 86_400;
    /** Default percentile: 0.95. */
    public static final double DEFAULT_PERCENTILE = 0.95;

    private final double percentile;
    private final HalvingCounts weights;

    /** p95 with a 24 h half-life. */
    public DecayingHistogramForecaster() {
        this(DEFAULT_HALF_LIFE_SECONDS, DEFAULT_PERCENTILE);
    }

    /**
     * @param halfLifeSeconds how fast old samples fade, &gt; 0
     * @param percentile      the percentile reported, in (0, 1]
     */
    public DecayingHistogramForecaster(long halfLifeSeconds, double percentile) {
        if (halfLifeSeconds <= 0 || !(percentile > 0 && percentile <= 1)) {
            throw new IllegalArgumentException("histogram half-life must be > 0 and percentile in (0, 1]");
        }
        this.percentile = percentile;
        this.weights = new HalvingCounts(BUCKETS, halfLifeSeconds);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void observe(long timeSeconds, double value) {
        weights.add(timeSeconds, (int) Math.min(BUCKETS - 1, Math.max(0, value / WIDTH)));
    }

    @Override
    public double forecastPeak(long nowSeconds, long horizonSeconds) {
        return quantile(percentile);
    }

    /**
     * @param q in (0, 1]
     * @return the q-quantile of the decayed samples, interpolated in its bucket; NaN when empty
     */
    public double quantile(double q) {
        int total = weights.total();
        if (total <= 0) {
            return Double.NaN;
        }
        double target = q * total;
        double cumulative = 0;
        for (int i = 0; i < BUCKETS; i++) {
            double w = weights.get(i);
            if (w > 0 && cumulative + w >= target) {
                return WIDTH * (i + (target - cumulative) / w);
            }
            cumulative += w;
        }
        return WIDTH * (lastNonEmpty() + 1);
    }

    private int lastNonEmpty() {
        for (int i = BUCKETS - 1; i >= 0; i--) {
            if (weights.get(i) > 0) {
                return i;
            }
        }
        return 0;
    }

    @Override
    public void save(ByteBuffer out) {
        weights.save(out);
    }

    @Override
    public void restore(ByteBuffer in) {
        weights.restore(in);
    }

    @Override
    public int checkpointBytes() {
        return weights.checkpointBytes();
    }
}
