package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * Holt's level/trend smoothing for irregularly sampled series.
 *
 * <p>The smoothing weights follow elapsed time, not sample count: {@code alpha = 1 − exp(−dt / levelTau)} and
 * {@code beta = 1 − exp(−dt / trendTau)}, so a series sampled every 10 s and one sampled every 5 min converge at the
 * same rate. The trend (units per second) is damped: the forecast over a horizon {@code h} adds
 * {@code trend × trendTau × (1 − exp(−h / trendTau))}, which is at most {@code trend × trendTau}. After a gap longer
 * than {@code gapSeconds} the level restarts at the new sample and the trend at zero: a trend learnt before an hour
 * of silence says nothing about now.
 *
 * <p>The forecast peak over {@code (now, now + h]} is the larger end of the (monotone) damped line.
 */
public final class HoltForecaster implements PeakForecaster {
    /** Name in reports and checkpoints. */
    public static final String NAME = "holt";
    /** Default level time constant: 10 minutes. */
    public static final long DEFAULT_LEVEL_TAU_SECONDS = 600;
    /** Default trend time constant: 1 hour. */
    public static final long DEFAULT_TREND_TAU_SECONDS = 3600;
    /** Default gap after which the state restarts: 1 hour. */
    public static final long DEFAULT_GAP_SECONDS = 3600;

    private final double levelTau;
    private final double trendTau;
    private final long gapSeconds;
    private long lastTime = Long.MIN_VALUE;
    private double level = Double.NaN;
    private double trend;

    /** Holt smoothing with the default time constants. */
    public HoltForecaster() {
        this(DEFAULT_LEVEL_TAU_SECONDS, DEFAULT_TREND_TAU_SECONDS, DEFAULT_GAP_SECONDS);
    }

    /**
     * @param levelTauSeconds time constant of the level, &gt; 0
     * @param trendTauSeconds time constant (and damping horizon) of the trend, &gt; 0
     * @param gapSeconds      a silence longer than this restarts the state, &gt; 0
     */
    public HoltForecaster(long levelTauSeconds, long trendTauSeconds, long gapSeconds) {
        if (levelTauSeconds <= 0 || trendTauSeconds <= 0 || gapSeconds <= 0) {
            throw new IllegalArgumentException("Holt time constants and gap must be > 0");
        }
        this.levelTau = levelTauSeconds;
        this.trendTau = trendTauSeconds;
        this.gapSeconds = gapSeconds;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void observe(long timeSeconds, double value) {
        long dt = timeSeconds - lastTime;
        if (Double.isNaN(level) || dt > gapSeconds) {
            level = value;
            trend = 0;
        } else {
            double alpha = -Math.expm1(-dt / levelTau);
            double beta = -Math.expm1(-dt / trendTau);
            double predicted = level + trend * dt;
            double newLevel = predicted + alpha * (value - predicted);
            trend = trend + beta * ((newLevel - level) / dt - trend);
            level = newLevel;
        }
        lastTime = timeSeconds;
    }

    @Override
    public double forecastPeak(long nowSeconds, long horizonSeconds) {
        if (Double.isNaN(level)) {
            return Double.NaN;
        }
        double drift = trend * trendTau * -Math.expm1(-horizonSeconds / trendTau);
        return Math.max(0, level + Math.max(0, drift));
    }

    /** @return the current level (for tests) */
    double level() {
        return level;
    }

    /** @return the current trend in units per second (for tests) */
    double trend() {
        return trend;
    }

    @Override
    public void save(ByteBuffer out) {
        out.putLong(lastTime).putDouble(level).putDouble(trend);
    }

    @Override
    public void restore(ByteBuffer in) {
        lastTime = in.getLong();
        level = in.getDouble();
        trend = in.getDouble();
    }

    @Override
    public int checkpointBytes() {
        return 24;
    }
}
