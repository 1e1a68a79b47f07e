package io.qshard.predict.backtest;

import io.qshard.predict.PredictorConfig;
import io.qshard.predict.SeriesPredictor;
import io.qshard.predict.UsagePredictor;
import io.qshard.predict.models.DecayingHistogramForecaster;
import io.qshard.predict.models.HoltForecaster;
import io.qshard.predict.models.RecentMaxForecaster;
import io.qshard.predict.models.SeasonalForecaster;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Walks every trace forward in time and scores each contender at every sample after the warm-up: the contender has
 * seen the samples up to and including time {@code t} (no look-ahead), predicts the peak of {@code (t, t + horizon]}
 * and whether it crosses the threshold, and is scored against the actual maximum of the samples in that window
 * (points whose window holds no sample — a gap — are not scored). Traces run in parallel; results are per source
 * (the file-name prefix) and overall, pooled over points.
 */
public final class Backtest {
    /** The contender whose predictions are the product: the per-series selected model. */
    public static final String SELECTED = "selected";

    private Backtest() {}

    /** The contenders in report order: baselines, then each model alone (with its residual bound), then selected. */
    public static Map<String, Supplier<UsagePredictor>> contenders(PredictorConfig config) {
        Map<String, Supplier<UsagePredictor>> c = new LinkedHashMap<>();
        c.put("last-value", Baseline::lastValue);
        c.put("max-1h", Baseline::maxLastHour);
        c.put("p95-24h", Baseline::p95Last24h);
        c.put(HoltForecaster.NAME, () -> SeriesPredictor.single(config, new HoltForecaster()));
        c.put(SeasonalForecaster.NAME, () -> SeriesPredictor.single(config, new SeasonalForecaster()));
        c.put(
                DecayingHistogramForecaster.NAME,
                () -> SeriesPredictor.single(config, new DecayingHistogramForecaster()));
        c.put(RecentMaxForecaster.NAME, () -> SeriesPredictor.single(config, new RecentMaxForecaster()));
        c.put(SELECTED, () -> SeriesPredictor.ensemble(config));
        return c;
    }

    /**
     * Runs the backtest.
     *
     * @param traces         the traces; those without any value in the backtested column are left out
     * @param options        horizon, threshold, quantile, cut-off and warm-up
     * @param predictionsDir when not null, a CSV per trace with the selected model's predictions is written there
     * @return scores per source and contender, plus an {@code overall} source
     */
    public static BacktestResult run(List<Trace> traces, BacktestOptions options, Path predictionsDir) {
        Map<String, Supplier<UsagePredictor>> contenders = contenders(options.predictorConfig());
        Map<String, Map<String, Score>> bySource = new TreeMap<>();
        Map<String, Map<String, Integer>> selections = new TreeMap<>();
        List<Trace> withData = traces.stream()
                .filter(t -> hasData(t.values(options.resource())))
                .toList();
        withData.parallelStream().forEach(trace -> {
            TraceOutcome outcome = runOne(trace, options, contenders, predictionsDir);
            synchronized (bySource) {
                for (String source : List.of(trace.source(), BacktestResult.OVERALL)) {
                    Map<String, Score> scores = bySource.computeIfAbsent(source, s -> new LinkedHashMap<>());
                    outcome.scores.forEach((name, score) ->
                            scores.computeIfAbsent(name, n -> new Score()).merge(score));
                    selections.computeIfAbsent(source, s -> new TreeMap<>()).merge(outcome.selected, 1, Integer::sum);
                }
            }
        });
        return new BacktestResult(options, List.copyOf(contenders.keySet()), bySource, selections, withData.size());
    }

    /** A trace without a single value in the backtested column (Azure has no memory) is left out. */
    private static boolean hasData(double[] values) {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private record TraceOutcome(Map<String, Score> scores, String selected) {}

    private static TraceOutcome runOne(
            Trace trace,
            BacktestOptions options,
            Map<String, Supplier<UsagePredictor>> contenders,
            Path predictionsDir) {
        long[] time = trace.time();
        double[] values = trace.values(options.resource());
        double[] future = FutureMax.of(time, values, options.horizonSeconds());
        List<String> names = new ArrayList<>(contenders.keySet());
        UsagePredictor[] predictors = new UsagePredictor[names.size()];
        Score[] scores = new Score[names.size()];
        for (int c = 0; c < predictors.length; c++) {
            predictors[c] = contenders.get(names.get(c)).get();
            scores[c] = new Score();
        }
        int selected = names.indexOf(SELECTED);
        long evaluateFrom = time[0] + options.warmupSeconds();
        try (BufferedWriter out = predictionsDir == null
                ? null
                : Files.newBufferedWriter(predictionsDir.resolve(trace.name() + ".csv"))) {
            if (out != null) {
                out.write("timestamp_s,predicted_peak,hotspot_probability\n");
            }
            for (int i = 0; i < time.length; i++) {
                if (Double.isNaN(values[i])) {
                    continue;
                }
                boolean evaluate = time[i] >= evaluateFrom;
                boolean actuallyHot = future[i] > options.threshold();
                for (int c = 0; c < predictors.length; c++) {
                    predictors[c].observe(time[i], values[i]);
                    if (!evaluate) {
                        continue;
                    }
                    double peak = predictors[c].predictPeak(options.horizonSeconds(), options.quantile());
                    if (!Double.isNaN(future[i])) {
                        boolean predictedHot =
                                predictors[c].predictsHotspot(options.threshold(), options.horizonSeconds());
                        scores[c].add(peak, future[i], predictedHot, actuallyHot);
                    }
                    if (c == selected && out != null) {
                        double probability =
                                predictors[c].hotspotProbability(options.threshold(), options.horizonSeconds());
                        out.write(time[i] + "," + round(peak) + "," + round(probability) + "\n");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write predictions for " + trace.name(), e);
        }
        Map<String, Score> byName = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            byName.put(names.get(c), scores[c]);
        }
        return new TraceOutcome(byName, ((SeriesPredictor) predictors[selected]).selectedModelName());
    }

    private static String round(double v) {
        return Double.isNaN(v) ? "" : String.valueOf(Math.round(v * 10_000) / 10_000.0);
    }
}
