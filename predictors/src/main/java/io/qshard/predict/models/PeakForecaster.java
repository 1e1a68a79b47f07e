package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * A point forecast of a series' maximum over a coming window: the "base" that {@link io.qshard.predict.SeriesPredictor}
 * corrects with the quantiles of its own past residuals.
 *
 * <p>Implementations keep O(1) state (fixed-size arrays), update in O(1) amortised time, are not thread-safe, and
 * see only valid, strictly increasing samples (the predictor filters the rest).
 */
public interface PeakForecaster {

    /** @return a short stable name used in reports and in checkpoints ({@code holt}, {@code seasonal}, …) */
    String name();

    /** Feeds one valid sample; {@code timeSeconds} is strictly greater than at the previous call. */
    void observe(long timeSeconds, double value);

    /**
     * @param nowSeconds     time of the last sample
     * @param horizonSeconds look-ahead, &gt; 0
     * @return the forecast maximum over {@code (now, now + horizon]}; NaN when the forecaster has no data yet
     */
    double forecastPeak(long nowSeconds, long horizonSeconds);

    /** Writes the complete state; {@link #restore} on a forecaster built with the same settings reads it back. */
    void save(ByteBuffer out);

    /** Reads what {@link #save} wrote. */
    void restore(ByteBuffer in);

    /** @return an upper bound, in bytes, of {@link #save}'s output */
    int checkpointBytes();
}
