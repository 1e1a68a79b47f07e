package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * The maximum of the recent past (default: the last hour, in 8 bins of 7.5 minutes) as the forecast of the coming
 * peak: the model that knows nothing but that usage is bursty and bursts come back. Bins older than the window are
 * ignored, so after a gap the forecast is built from the new samples alone.
 */
public final class RecentMaxForecaster implements PeakForecaster {
    /** Name in reports and checkpoints. */
    public static final String NAME = "recent-max";
    /** Default window: 1 hour. */
    public static final long DEFAULT_WINDOW_SECONDS = 3600;

    private static final int BINS = 8;

    private final BinnedMaxHistory history;

    /** The last hour's maximum. */
    public RecentMaxForecaster() {
        this(DEFAULT_WINDOW_SECONDS);
    }

    /** @param windowSeconds the look-back, a multiple of 8 seconds, &gt; 0 */
    public RecentMaxForecaster(long windowSeconds) {
        if (windowSeconds < BINS || windowSeconds % BINS != 0) {
            throw new IllegalArgumentException("recent-max window must be a positive multiple of 8 s");
        }
        this.history = new BinnedMaxHistory(windowSeconds / BINS, BINS + 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void observe(long timeSeconds, double value) {
        history.add(timeSeconds, value);
    }

    @Override
    public double forecastPeak(long nowSeconds, long horizonSeconds) {
        long now = history.binOf(nowSeconds);
        return history.max(now - BINS, now);
    }

    @Override
    public void save(ByteBuffer out) {
        history.save(out);
    }

    @Override
    public void restore(ByteBuffer in) {
        history.restore(in);
    }

    @Override
    public int checkpointBytes() {
        return history.checkpointBytes();
    }
}
