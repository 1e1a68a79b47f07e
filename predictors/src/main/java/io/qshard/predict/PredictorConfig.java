package io.qshard.predict;

/**
 * Settings of a {@link SeriesPredictor}.
 *
 * @param horizonSeconds          the look-ahead the residuals are collected for (the scheduling horizon), &gt; 0
 * @param selectionQuantile       the quantile whose pinball loss ranks the models in the rolling backtest, in (0, 1)
 * @param residualHalfLifeSeconds half-life of the residual histograms, &gt; 0
 * @param scoreHalfLifeSeconds    half-life of the models' rolling backtest scores, &gt; 0
 * @param windowsPerHorizon       how many evaluation windows open per horizon (bounds the pending state), 1–32
 * @param minResiduals            residuals a model needs before its bound is trusted, ≥ 1
 * @param hotspotThreshold        the level whose crossing ranks the hotspot estimators (the operators' "hot"
 *                                threshold, in the series' unit), finite
 * @param hotspotCut              probability from which a window counts as predicted hot, in (0, 1]
 */
public record PredictorConfig(
        long horizonSeconds,
        double selectionQuantile,
        long residualHalfLifeSeconds,
        long scoreHalfLifeSeconds,
        int windowsPerHorizon,
        int minResiduals,
        double hotspotThreshold,
        double hotspotCut) {
    /** Default horizon: 30 minutes. */
    public static final long DEFAULT_HORIZON_SECONDS = 1800;
    /** Default selection quantile: 0.85 (the quantile the pools ask for; selection should rank at the same one). */
    public static final double DEFAULT_SELECTION_QUANTILE = 0.85;
    /** Default residual half-life: 2 days. */
    public static final long DEFAULT_RESIDUAL_HALF_LIFE_SECONDS = 2 * 86_400;
    /** Default score half-life: 1 day. */
    public static final long DEFAULT_SCORE_HALF_LIFE_SECONDS = 86_400;
    /** Default evaluation windows per horizon: 6. */
    public static final int DEFAULT_WINDOWS_PER_HORIZON = 6;
    /** Default residuals needed: 20. */
    public static final int DEFAULT_MIN_RESIDUALS = 20;
    /** Default hotspot threshold: 80 (%). */
    public static final double DEFAULT_HOTSPOT_THRESHOLD = 80;
    /** Default hotspot cut: 0.35. */
    public static final double DEFAULT_HOTSPOT_CUT = 0.35;

    /** @throws IllegalArgumentException naming the first invalid field */
    public PredictorConfig {
        require(horizonSeconds > 0, "horizonSeconds", horizonSeconds, "> 0");
        require(selectionQuantile > 0 && selectionQuantile < 1, "selectionQuantile", selectionQuantile, "in (0, 1)");
        require(residualHalfLifeSeconds > 0, "residualHalfLifeSeconds", residualHalfLifeSeconds, "> 0");
        require(scoreHalfLifeSeconds > 0, "scoreHalfLifeSeconds", scoreHalfLifeSeconds, "> 0");
        require(windowsPerHorizon >= 1 && windowsPerHorizon <= 32, "windowsPerHorizon", windowsPerHorizon, "in 1..32");
        require(minResiduals >= 1, "minResiduals", minResiduals, ">= 1");
        require(Double.isFinite(hotspotThreshold), "hotspotThreshold", hotspotThreshold, "a finite number");
        require(hotspotCut > 0 && hotspotCut <= 1, "hotspotCut", hotspotCut, "in (0, 1]");
    }

    /** @return the defaults */
    public static PredictorConfig defaults() {
        return withHorizon(DEFAULT_HORIZON_SECONDS);
    }

    /** @return the defaults with another horizon */
    public static PredictorConfig withHorizon(long horizonSeconds) {
        return new PredictorConfig(
                horizonSeconds,
                DEFAULT_SELECTION_QUANTILE,
                DEFAULT_RESIDUAL_HALF_LIFE_SECONDS,
                DEFAULT_SCORE_HALF_LIFE_SECONDS,
                DEFAULT_WINDOWS_PER_HORIZON,
                DEFAULT_MIN_RESIDUALS,
                DEFAULT_HOTSPOT_THRESHOLD,
                DEFAULT_HOTSPOT_CUT);
    }

    /** @return these settings with another selection quantile, hotspot threshold and cut */
    public PredictorConfig tunedFor(double quantile, double threshold, double cut) {
        return new PredictorConfig(
                horizonSeconds,
                quantile,
                residualHalfLifeSeconds,
                scoreHalfLifeSeconds,
                windowsPerHorizon,
                minResiduals,
                threshold,
                cut);
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("predictor " + field + " must be " + rule + ", was " + value);
        }
    }
}
