package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * A seasonal profile: the peak of the coming window is read from the same phase of the previous cycles, once a
 * period has been found and confirmed ({@link PeriodDetector}), and corrected by how the last hour compares with the
 * same hour one cycle earlier.
 *
 * <p>State: a {@link BinnedMaxHistory} of 128 bins of 30 minutes (64 hours, 264 bytes) — the daily profile in
 * buckets, several cycles deep — and the detected period. Detection re-runs every 6 hours of data (one FFT of 128
 * points, amortised); candidate periods are 2, 3, 4, 6, 8, 12 and 24 hours (a 1-hour cycle is below the bins'
 * resolution; {@link RecentMaxForecaster} covers it). Without a confirmed period the forecast
 * is the last hour's maximum, so the model degrades to {@link RecentMaxForecaster}'s behaviour rather than guessing.
 */
public final class SeasonalForecaster implements PeakForecaster {
    /** Name in reports and checkpoints. */
    public static final String NAME = "seasonal";
    /** Width of a profile bucket: 30 minutes. */
    public static final long BIN_SECONDS = 1800;
    /** Buckets kept: 128 (64 hours). */
    public static final int BINS = 128;

    private static final int[] CANDIDATES = {4, 6, 8, 12, 16, 24, 48};
    private static final int DETECT_EVERY_BINS = 12;
    private static final int RECENT_BINS = 2;
    private static final int CYCLES = 3;
    private static final double LEVEL_CORRECTION = 0.5;

    private final BinnedMaxHistory history = new BinnedMaxHistory(BIN_SECONDS, BINS);
    private final PeriodDetector detector;
    private int period;
    private long lastDetection = Long.MIN_VALUE;

    private static final PeriodDetector DEFAULT_DETECTOR = new PeriodDetector();

    /** A seasonal model with the default detector (shared: detectors are stateless). */
    public SeasonalForecaster() {
        this(DEFAULT_DETECTOR);
    }

    /** @param detector decides whether a period is real */
    public SeasonalForecaster(PeriodDetector detector) {
        this.detector = detector;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** @return the confirmed period in seconds, or 0 when there is none */
    public long periodSeconds() {
        return period * BIN_SECONDS;
    }

    @Override
    public void observe(long timeSeconds, double value) {
        history.add(timeSeconds, value);
        long newest = history.newestBin();
        if (lastDetection == Long.MIN_VALUE) {
            lastDetection = newest;
        } else if (newest - lastDetection >= DETECT_EVERY_BINS) {
            lastDetection = newest;
            double[] series = new double[BINS];
            for (int i = 0; i < BINS; i++) {
                series[i] = history.get(newest - BINS + 1 + i);
            }
            period = detector.detect(series, CANDIDATES);
        }
    }

    @Override
    public double forecastPeak(long nowSeconds, long horizonSeconds) {
        long first = history.binOf(nowSeconds);
        long end = nowSeconds > Long.MAX_VALUE - horizonSeconds ? Long.MAX_VALUE : nowSeconds + horizonSeconds;
        long last = history.binOf(end); // the window's end, saturated: now + horizon may pass Long.MAX_VALUE
        double recent = history.max(first - RECENT_BINS + 1, first);
        if (period == 0) {
            return recent;
        }
        double seasonal = 0;
        double seasonalRecent = 0;
        double weights = 0;
        double weight = 1;
        for (int k = 1; k <= CYCLES; k++, weight /= 2) {
            long shift = (long) k * period;
            double then = history.max(first - shift, last - shift);
            double thenRecent = history.max(first - shift - RECENT_BINS + 1, first - shift);
            if (Double.isNaN(then) || Double.isNaN(thenRecent)) {
                continue;
            }
            seasonal += weight * then;
            seasonalRecent += weight * thenRecent;
            weights += weight;
        }
        if (weights == 0 || Double.isNaN(recent)) {
            return recent;
        }
        seasonal /= weights;
        seasonalRecent /= weights;
        return Math.max(0, seasonal + LEVEL_CORRECTION * (recent - seasonalRecent));
    }

    @Override
    public void save(ByteBuffer out) {
        history.save(out);
        out.putInt(period).putLong(lastDetection);
    }

    @Override
    public void restore(ByteBuffer in) {
        history.restore(in);
        period = in.getInt();
        lastDetection = in.getLong();
    }

    @Override
    public int checkpointBytes() {
        return history.checkpointBytes() + 12;
    }
}
