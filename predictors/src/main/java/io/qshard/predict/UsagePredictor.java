package io.qshard.predict;

/**
 * Online predictor for one usage series (one node or tier, one resource), in the series' own unit — percent of
 * capacity in the traces and the pools.
 *
 * <p>Time is passed in, in seconds, and must not go backwards (a sample older than the last one is ignored, see
 * {@link #observe}); there is no wall clock. Sampling may be irregular and have gaps of hours: every implementation
 * decays by elapsed time, not by sample count, and restarts its short-term state after a gap.
 *
 * <p>Not thread-safe: one series is owned by one thread (the scheduler's usage view updates and reads it from its
 * decision thread). Memory per series is bounded and independent of the series' length.
 */
public interface UsagePredictor {
    /**
     * The largest sample value taken: 10^9. The series are percentages of capacity, so anything above is a broken
     * report; bounding them keeps every internal figure (pending windows are floats) far from overflow.
     */
    double MAX_VALUE = 1e9;

    /** @return whether {@code value} is a sample a predictor takes: a number in [0, {@link #MAX_VALUE}] */
    static boolean validSample(double value) {
        return value >= 0 && value <= MAX_VALUE;
    }

    /**
     * Feeds one sample.
     *
     * @param timeSeconds sample time in seconds (any epoch; only differences matter); a sample at or before the
     *                    previous sample's time is ignored and counted in {@link #ignoredSamples()}
     * @param value       the usage value; NaN, infinite, negative or above {@link #MAX_VALUE} values are ignored and
     *                    counted
     */
    void observe(long timeSeconds, double value);

    /**
     * The predicted peak: the value that the maximum of the samples in {@code (now, now + horizon]} stays at or below
     * with probability {@code quantile}, where {@code now} is the time of the last observed sample.
     *
     * @param horizonSeconds the look-ahead, &gt; 0
     * @param quantile       in (0, 1); higher means more conservative
     * @return the predicted peak, never below 0; {@code NaN} before the first sample
     */
    double predictPeak(long horizonSeconds, double quantile);

    /**
     * The probability, in [0, 1], that the maximum of the samples in {@code (now, now + horizon]} exceeds
     * {@code threshold}.
     *
     * @param threshold      in the series' unit (e.g. 80 for 80 %)
     * @param horizonSeconds the look-ahead, &gt; 0
     * @return the probability; {@code NaN} before the first sample
     */
    double hotspotProbability(double threshold, long horizonSeconds);

    /**
     * Whether to treat the coming window as a hotspot: the decision behind hotspot precision, recall and F1, and
     * what migration acts on. The default cuts the probability at 0.5; implementations may cut elsewhere.
     *
     * @param threshold      in the series' unit
     * @param horizonSeconds the look-ahead, &gt; 0
     * @return true when a crossing is predicted; false before the first sample
     */
    default boolean predictsHotspot(double threshold, long horizonSeconds) {
        return hotspotProbability(threshold, horizonSeconds) >= 0.5;
    }

    /** @return the number of samples ignored as out of order or invalid since creation (not checkpointed) */
    long ignoredSamples();
}
