package io.qshard.cli;

import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.UserError;
import io.qshard.predict.PredictorConfig;
import io.qshard.predict.backtest.Backtest;
import io.qshard.predict.backtest.BacktestOptions;
import io.qshard.predict.backtest.BacktestResult;
import io.qshard.predict.backtest.Trace;
import io.qshard.predict.backtest.TraceCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard predict backtest}: scores the predictors and the baselines on usage traces, with no look-ahead. */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Walk every trace forward in time and score the predictors against the baselines "
                    + "(last value, max of the last hour, p95 of the last 24 h).",
            "Input: CSV files timestamp_s,cpu_pct,mem_pct (header optional). Malformed rows are reported "
                    + "with file and line and skipped; a file without valid rows is an error."
        })
public final class BacktestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--traces",
            paramLabel = "DIR",
            required = true,
            description = "Directory of *.csv traces; the file-name prefix before '-' is the source.")
    Path traces;

    @Option(
            names = "--horizon",
            paramLabel = "DURATION",
            defaultValue = "30m",
            converter = DurationConverter.class,
            description = "Look-ahead of every prediction (90s, 30m, 2h…; default: ${DEFAULT-VALUE}).")
    long horizon;

    @Option(
            names = "--threshold",
            paramLabel = "PCT",
            defaultValue = "80",
            description = "A window is a hotspot when its maximum is above this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(
            names = "--quantile",
            paramLabel = "Q",
            defaultValue = "" + BacktestOptions.DEFAULT_QUANTILE,
            description = "Quantile of the predicted peak, in (0, 1); the models are also ranked at it "
                    + "(default: ${DEFAULT-VALUE}).")
    double quantile;

    @Option(
            names = "--hotspot-cut",
            paramLabel = "P",
            defaultValue = "" + PredictorConfig.DEFAULT_HOTSPOT_CUT,
            description = "Hotspot probability from which the predictor counts a window as hot (default: "
                    + "${DEFAULT-VALUE}).")
    double hotspotCut;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            defaultValue = "24h",
            converter = DurationConverter.class,
            description = "Score nothing before the first sample + this (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(
            names = "--resource",
            paramLabel = "cpu|mem",
            defaultValue = "cpu",
            description = "Column to backtest: cpu (cpu_pct) or mem (mem_pct) (default: ${DEFAULT-VALUE}).")
    String resource;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path jsonOut;

    @Option(
            names = "--predictions-out",
            paramLabel = "DIR",
            description = "Write, per input file, DIR/<same name>.csv with timestamp_s,predicted_peak,"
                    + "hotspot_probability of the selected model at every sample after the warm-up.")
    Path predictionsOut;

    @Override
    public Integer call() throws IOException {
        Trace.Resource column = switch (resource) {
            case "cpu" -> Trace.Resource.CPU;
            case "mem", "memory" -> Trace.Resource.MEMORY;
            default -> throw new UserError("--resource must be cpu or mem, was '" + resource + "'");
        };
        if (!(quantile > 0 && quantile < 1)) {
            throw new UserError("--quantile must be in (0, 1), was " + quantile);
        }
        if (!(hotspotCut > 0 && hotspotCut <= 1)) {
            throw new UserError("--hotspot-cut must be in (0, 1], was " + hotspotCut);
        }
        BacktestOptions options;
        try {
            options = new BacktestOptions(
                    horizon,
                    threshold,
                    quantile,
                    warmup,
                    column,
                    PredictorConfig.withHorizon(horizon).tunedFor(quantile, threshold, hotspotCut));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (!Files.isDirectory(traces)) {
            throw new UserError("--traces " + traces + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(traces)) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new UserError("--traces " + traces + " holds no *.csv file");
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        AtomicLong skipped = new AtomicLong();
        List<Trace> loaded = new ArrayList<>();
        for (Path file : files) {
            try {
                loaded.add(TraceCsv.read(file, warning -> {
                    skipped.incrementAndGet();
                    err.println("warning: " + warning);
                }));
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        if (predictionsOut != null) {
            Files.createDirectories(predictionsOut);
        }
        long started = System.nanoTime();
        BacktestResult result = Backtest.run(loaded, options, predictionsOut);
        out.printf(
                "%d traces with %s data, %d rows skipped, horizon %d s, threshold %s, quantile %s, hotspot cut %s, "
                        + "%.1f s%n",
                result.traces(),
                resource,
                skipped.get(),
                horizon,
                threshold,
                quantile,
                hotspotCut,
                (System.nanoTime() - started) / 1e9);
        out.print(result.toMarkdown());
        out.flush();
        if (jsonOut != null) {
            Files.writeString(jsonOut, result.toJson());
        }
        return 0;
    }
}
