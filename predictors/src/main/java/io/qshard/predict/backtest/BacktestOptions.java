package io.qshard.predict.backtest;

import io.qshard.predict.PredictorConfig;

/**
 * What a backtest measures.
 *
 * @param horizonSeconds  look-ahead of every prediction, &gt; 0 (default 30 minutes)
 * @param threshold       a window is a hotspot when its maximum is above this, in the series' unit (default 80)
 * @param quantile        the quantile asked of {@code predictPeak}, in (0, 1) (default {@value #DEFAULT_QUANTILE})
 * @param warmupSeconds   nothing is scored before the first sample + this (default 24 hours)
 * @param resource        the column backtested (default cpu)
 * @param predictorConfig settings of the predictors: its horizon is {@code horizonSeconds}; its
 *                        {@code hotspotCut} decides when the selected model predicts a hotspot
 */
public record BacktestOptions(
        long horizonSeconds,
        double threshold,
        double quantile,
        long warmupSeconds,
        Trace.Resource resource,
        PredictorConfig predictorConfig) {
    /** Default horizon: 30 minutes. */
    public static final long DEFAULT_HORIZON_SECONDS = 1800;
    /** Default hotspot threshold: 80 (%). */
    public static final double DEFAULT_THRESHOLD = 80;
    /** Default quantile of the predicted peak (the predictors' default selection quantile). */
    public static final double DEFAULT_QUANTILE = PredictorConfig.DEFAULT_SELECTION_QUANTILE;
    /** Default warm-up: 24 hours. */
    public static final long DEFAULT_WARMUP_SECONDS = 86_400;

    /** @throws IllegalArgumentException naming the invalid field */
    public BacktestOptions {
        if (horizonSeconds <= 0) {
            throw new IllegalArgumentException("horizon must be > 0, was " + horizonSeconds + " s");
        }
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), was " + quantile);
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("warm-up must be >= 0, was " + warmupSeconds + " s");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a number, was " + threshold);
        }
        if (predictorConfig.horizonSeconds() != horizonSeconds) {
            throw new IllegalArgumentException("predictor horizon " + predictorConfig.horizonSeconds()
                    + " s differs from the backtest horizon " + horizonSeconds + " s");
        }
    }

    /** @return the defaults for a horizon and threshold */
    public static BacktestOptions of(long horizonSeconds, double threshold) {
        return new BacktestOptions(
                horizonSeconds,
                threshold,
                DEFAULT_QUANTILE,
                DEFAULT_WARMUP_SECONDS,
                Trace.Resource.CPU,
                PredictorConfig.withHorizon(horizonSeconds)
                        .tunedFor(DEFAULT_QUANTILE, threshold, PredictorConfig.DEFAULT_HOTSPOT_CUT));
    }
}
