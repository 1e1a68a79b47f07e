package io.qshard.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the usage view uses the time-series predictors ({@code predictions:} in {@code qshard.yaml}). Immutable;
 * validated by the config loader, which names the field.
 *
 * <p>With predictions on, a tier's usage in the pools is its predicted peak over {@code horizon} at
 * {@code quantile} (docs/architecture.md, "The pools"), and each node's hotspot probability — the chance its cpu
 * crosses {@code hotspotThreshold} percent within the horizon — feeds the {@code HotspotAvoidance} plugin and the
 * migration loop. With predictions off, a tier's usage is its last reported figure and no node is predicted hot.
 *
 * @param enabled          whether to predict at all
 * @param horizon          the look-ahead of the predicted peak and of hotspot predictions, 1 min .. 24 h
 * @param quantile         the quantile of the predicted peak, in [0.5, 0.99]
 * @param hotspotThreshold node cpu usage, in percent of real allocatable, above which a node counts as hot, [1, 100]
 */
public record PredictionConfig(boolean enabled, Duration horizon, double quantile, double hotspotThreshold) {
    public static final boolean DEFAULT_ENABLED = true;
    public static final Duration DEFAULT_HORIZON = Duration.ofMinutes(30);
    public static final double DEFAULT_QUANTILE = 0.85;
    public static final double DEFAULT_HOTSPOT_THRESHOLD = 80;

    /** @throws IllegalArgumentException naming the field out of range (the loader reports it with the file) */
    public PredictionConfig {
        Objects.requireNonNull(horizon, "horizon");
        if (horizon.compareTo(Duration.ofMinutes(1)) < 0 || horizon.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("horizon " + horizon + " is out of range 1m..24h");
        }
        if (!(quantile >= 0.5 && quantile <= 0.99)) {
            throw new IllegalArgumentException("quantile " + quantile + " is out of range [0.5, 0.99]");
        }
        if (!(hotspotThreshold >= 1 && hotspotThreshold <= 100)) {
            throw new IllegalArgumentException(
                    "hotspotThreshold " + hotspotThreshold + " is out of range [1, 100] (percent)");
        }
    }

    /** @return the defaults: on, 30 min horizon, 0.85 quantile, hot above 80 % */
    public static PredictionConfig defaults() {
        return new PredictionConfig(DEFAULT_ENABLED, DEFAULT_HORIZON, DEFAULT_QUANTILE, DEFAULT_HOTSPOT_THRESHOLD);
    }

    /** @return these settings with predictions switched on or off */
    public PredictionConfig withEnabled(boolean on) {
        return new PredictionConfig(on, horizon, quantile, hotspotThreshold);
    }
}
