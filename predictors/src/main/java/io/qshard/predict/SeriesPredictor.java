package io.qshard.predict;

import io.qshard.predict.models.DecayingHistogramForecaster;
import io.qshard.predict.models.HoltForecaster;
import io.qshard.predict.models.PeakForecaster;
import io.qshard.predict.models.RecentMaxForecaster;
import io.qshard.predict.models.ResidualHistogram;
import io.qshard.predict.models.SeasonalForecaster;
import io.qshard.predict.selection.ModelSelector;
import io.qshard.predict.selection.PendingWindows;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The per-series predictor: one or more {@link PeakForecaster}s, each turned into an upper bound by the quantiles of
 * its own recent residuals ({@code actual peak over the horizon − forecast}, a {@link ResidualHistogram}), and — with
 * several — the one with the best rolling backtest score ({@link ModelSelector}, pinball loss at the selection
 * quantile) answering {@link #predictPeak}.
 *
 * <p>The residual bound is what makes any point forecast honest about its error: {@code predictPeak(h, q)} is
 * {@code forecast + q-quantile(residuals)}. Residuals are learnt at the configured horizon; other horizons scale them
 * by {@code sqrt(h / horizon)} (a random-walk approximation).
 *
 * <p>Hotspot probabilities come from a {@link HotspotEnsemble} with its own rolling backtest (F1 at
 * {@code hotspotCut}); every model's {@code 1 − CDF(threshold − forecast)} is one of its candidates.
 *
 * <p>Until a model has {@code minResiduals} residuals it is cold, and the predictor answers with the highest of the
 * point forecasts. Memory per series for the default ensemble is measured in {@code bench/} (see
 * predictors/RESULTS.md); {@link #checkpoint()} writes all of it and {@link #restore}
 * reads it back into a predictor built with the same models and config. Not thread-safe.
 */
public final class SeriesPredictor implements UsagePredictor {
    private static final int MAGIC = 0x51505233; // "QPR3"

    private final PredictorConfig config;
    private final PeakForecaster[] models;
    private final ResidualHistogram[] residuals;
    private final ModelSelector peakSelector;
    private final HotspotEnsemble hotspot;
    private final PendingWindows pending;
    private final float[] record;
    private final double[] losses;
    private long lastTime = Long.MIN_VALUE;
    private long ignored;

    /**
     * @param config settings
     * @param models the competing forecasters, fresh, at least one
     */
    public SeriesPredictor(PredictorConfig config, List<? extends PeakForecaster> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a predictor needs at least one model");
        }
        this.config = config;
        this.models = models.toArray(PeakForecaster[]::new);
        int n = this.models.length;
        this.residuals = new ResidualHistogram[n];
        for (int m = 0; m < n; m++) {
            residuals[m] = new ResidualHistogram(config.residualHalfLifeSeconds());
        }
        this.peakSelector = new ModelSelector(n, config.selectionQuantile(), config.scoreHalfLifeSeconds());
        this.hotspot = new HotspotEnsemble(config, n, this::modelProbability);
        // record: per model its forecast and its bound, then the hotspot ensemble's part
        this.record = new float[2 * n + HotspotEnsemble.RECORD_LENGTH];
        this.losses = new double[n];
        this.pending = new PendingWindows(config.horizonSeconds(), config.windowsPerHorizon(), record.length);
    }

    /** @return the default ensemble: Holt, seasonal, decaying histogram and recent max, selected per series */
    public static SeriesPredictor ensemble(PredictorConfig config) {
        return new SeriesPredictor(
                config,
                List.of(
                        new HoltForecaster(),
                        new SeasonalForecaster(),
                        new DecayingHistogramForecaster(),
                        new RecentMaxForecaster()));
    }

    /** @return a predictor that uses one model, bounded by its residuals */
    public static SeriesPredictor single(PredictorConfig config, PeakForecaster model) {
        return new SeriesPredictor(config, List.of(model));
    }

    @Override
    public void observe(long timeSeconds, double value) {
        if (!UsagePredictor.validSample(value) || timeSeconds <= lastTime) {
            ignored++;
            return;
        }
        pending.sample(timeSeconds, value, this::matured);
        for (PeakForecaster model : models) {
            model.observe(timeSeconds, value);
        }
        hotspot.observe(timeSeconds, value);
        lastTime = timeSeconds;
        if (pending.canOpen(timeSeconds)) {
            int n = models.length;
            for (int m = 0; m < n; m++) {
                double base = models[m].forecastPeak(timeSeconds, config.horizonSeconds());
                record[m] = (float) base;
                record[n + m] = warm(m) && !Double.isNaN(base)
                        ? (float) bound(m, base, config.selectionQuantile(), 1)
                        : Float.NaN;
            }
            hotspot.open(record, 2 * n);
            pending.open(timeSeconds, record);
        }
    }

    private void matured(long start, double actualMax, float[] window) {
        int n = models.length;
        for (int m = 0; m < n; m++) {
            if (!Float.isNaN(window[m])) {
                residuals[m].add(start, actualMax - window[m]);
            }
            float bound = window[n + m];
            losses[m] = Float.isNaN(bound)
                    ? Double.NaN
                    : ModelSelector.pinball(actualMax, bound, config.selectionQuantile());
        }
        peakSelector.recordLosses(start, losses);
        hotspot.matured(start, window, 2 * n, actualMax);
    }

    private boolean warm(int m) {
        return residuals[m].count() >= config.minResiduals();
    }

    private double modelProbability(int m, double threshold, long horizonSeconds) {
        if (!warm(m)) {
            return Double.NaN;
        }
        double base = models[m].forecastPeak(lastTime, horizonSeconds);
        return 1 - residuals[m].cdf((threshold - base) / scale(horizonSeconds));
    }

    /** @return the index of the model answering {@link #predictPeak} now, or -1 while every model is cold */
    public int selectedModel() {
        int best = peakSelector.best();
        return best >= 0 && warm(best) ? best : -1;
    }

    /** @return the name of the model answering {@link #predictPeak} now, or {@code "cold"} */
    public String selectedModelName() {
        int m = selectedModel();
        return m < 0 ? "cold" : models[m].name();
    }

    /** @return the name of the estimator answering {@link #hotspotProbability} now */
    public String selectedHotspotEstimator() {
        String name = hotspot.selected();
        return name.startsWith("model-") ? models[Integer.parseInt(name.substring(6))].name() : name;
    }

    @Override
    public double predictPeak(long horizonSeconds, double quantile) {
        checkHorizon(horizonSeconds);
        if (!(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1), was " + quantile);
        }
        if (lastTime == Long.MIN_VALUE) {
            return Double.NaN;
        }
        int m = selectedModel();
        if (m < 0) {
            return coldForecast(horizonSeconds);
        }
        return bound(m, models[m].forecastPeak(lastTime, horizonSeconds), quantile, scale(horizonSeconds));
    }

    private double bound(int m, double base, double quantile, double scale) {
        return Math.max(0, base + residuals[m].quantile(quantile) * scale);
    }

    @Override
    public double hotspotProbability(double threshold, long horizonSeconds) {
        checkHorizon(horizonSeconds);
        if (lastTime == Long.MIN_VALUE) {
            return Double.NaN;
        }
        double p = hotspot.probability(threshold, horizonSeconds);
        return Double.isNaN(p) ? (coldForecast(horizonSeconds) > threshold ? 1 : 0) : p;
    }

    /** Predicted hot when {@link #hotspotProbability} is at least the config's {@code hotspotCut}. */
    @Override
    public boolean predictsHotspot(double threshold, long horizonSeconds) {
        return hotspotProbability(threshold, horizonSeconds) >= config.hotspotCut();
    }

    private double coldForecast(long horizonSeconds) {
        double highest = 0;
        for (PeakForecaster model : models) {
            double f = model.forecastPeak(lastTime, horizonSeconds);
            if (f > highest) {
                highest = f;
            }
        }
        return highest;
    }

    private double scale(long horizonSeconds) {
        return horizonSeconds == config.horizonSeconds()
                ? 1
                : Math.sqrt((double) horizonSeconds / config.horizonSeconds());
    }

    private static void checkHorizon(long horizonSeconds) {
        if (horizonSeconds <= 0) {
            throw new IllegalArgumentException("horizon must be > 0 seconds, was " + horizonSeconds);
        }
    }

    @Override
    public long ignoredSamples() {
        return ignored;
    }

    /** @return the time of the last accepted sample, or {@link Long#MIN_VALUE} before the first */
    public long lastTime() {
        return lastTime;
    }

    /** @return the complete state as bytes; {@link #restore} reads it into a predictor built the same way */
    public byte[] checkpoint() {
        int size = 16 + peakSelector.checkpointBytes() + hotspot.checkpointBytes() + pending.checkpointBytes();
        for (int m = 0; m < models.length; m++) {
            size += models[m].checkpointBytes() + residuals[m].checkpointBytes();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putInt(signature()).putLong(lastTime);
        peakSelector.save(out);
        hotspot.save(out);
        pending.save(out);
        for (int m = 0; m < models.length; m++) {
            models[m].save(out);
            residuals[m].save(out);
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Restores a {@link #checkpoint()} into this freshly built predictor.
     *
     * @throws IllegalArgumentException when the bytes are not a checkpoint of a predictor with the same models,
     *                                  horizon, window count and hotspot threshold
     */
    public void restore(byte[] checkpoint) {
        ByteBuffer in = ByteBuffer.wrap(checkpoint);
        try {
            if (in.getInt() != MAGIC || in.getInt() != signature()) {
                throw new IllegalArgumentException("not a checkpoint of a predictor with models "
                        + java.util.Arrays.stream(models)
                                .map(PeakForecaster::name)
                                .toList() + ", horizon "
                        + config.horizonSeconds() + " s and hotspot threshold " + config.hotspotThreshold());
            }
            lastTime = in.getLong();
            peakSelector.restore(in);
            hotspot.restore(in);
            pending.restore(in);
            for (int m = 0; m < models.length; m++) {
                models[m].restore(in);
                residuals[m].restore(in);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("checkpoint is truncated (" + checkpoint.length + " bytes)", e);
        }
    }

    private int signature() {
        int h = Long.hashCode(config.horizonSeconds()) * 31 + config.windowsPerHorizon();
        h = h * 31 + Double.hashCode(config.hotspotThreshold());
        for (PeakForecaster model : models) {
            h = h * 31 + model.name().hashCode();
        }
        return h;
    }
}
