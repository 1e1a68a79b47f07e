package io.qshard.bench.scenario;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.predict.backtest.Trace;
import io.qshard.predict.backtest.TraceCsv;
import io.qshard.simulator.PodUtilisation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The utilisation scenario of the usage view (issue 6), offline on a simulated clock ({@link TraceScenario}): prod
 * requests 80 % of every node's cpu and its real load replays traces whose mean is ~25 %; a standing backlog of batch
 * and free jobs fills what the pools leave. Prints a table: with the node agent's isolation off and on, with the
 * predictors on and off.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.scenario.UtilisationScenarioMain --nodes 200 --days 2</pre>
 */
@Command(
        name = "utilisation-scenario",
        mixinStandardHelpOptions = true,
        description = "Offline trace scenario: mean cpu usage and hot node-time with batch/free filling.")
public final class UtilisationScenarioMain implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "200", description = "Fleet size (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--days", defaultValue = "2", description = "Measured simulated days (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(
            names = "--warm-up-hours",
            defaultValue = "24",
            description = "Simulated hours before measuring (default: ${DEFAULT-VALUE}).")
    double warmUpHours;

    @Option(
            names = "--traces",
            defaultValue = "../shared/traces",
            description = "Trace directory (default: ${DEFAULT-VALUE}).")
    Path traces;

    @Option(
            names = "--sources",
            defaultValue = "alibaba2018,bitbrains_rnd",
            split = ",",
            description = "Trace file prefixes to use (default: ${DEFAULT-VALUE}: mean cpu ≈ 26 %%).")
    List<String> sources;

    @Option(
            names = "--utilisation",
            defaultValue = "0.6,1.0",
            description = "Batch/free demand = request × u (default: ${DEFAULT-VALUE}).")
    String utilisation;

    @Option(names = "--config", description = "qshard.yaml for the schedulers (default: built in).")
    Path config;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--quantile", description = "Override predictions.quantile (default: the config's).")
    Double quantile;

    @Option(names = "--horizon-minutes", description = "Override predictions.horizon (default: the config's).")
    Integer horizonMinutes;

    @Option(names = "--only", description = "Run only the variants whose label contains this text.")
    String only;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UtilisationScenarioMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<Trace> loaded = loadTraces(traces, sources);
        QshardConfig loadedCfg = config == null
                ? QshardConfig.defaults()
                : new QshardConfigLoader(ShippedPlugins.registry()).load(config);
        io.qshard.core.config.PredictionConfig p = loadedCfg.predictions();
        QshardConfig cfg = loadedCfg.withPredictions(new io.qshard.core.config.PredictionConfig(
                p.enabled(),
                horizonMinutes == null ? p.horizon() : Duration.ofMinutes(horizonMinutes),
                quantile == null ? p.quantile() : quantile,
                p.hotspotThreshold()));
        ScenarioOptions base = defaults(
                nodes,
                loaded,
                cfg,
                PodUtilisation.parse(utilisation, seed),
                Duration.ofMinutes(Math.round(warmUpHours * 60)),
                Duration.ofMinutes(Math.round(days * 24 * 60)),
                seed);
        System.out.printf(
                "%d nodes, %d traces (%s), %.0f h warm-up + %.0f h measured, 1-min reports; predictions: "
                        + "%d min horizon, quantile %.2f%n%n",
                nodes,
                loaded.size(),
                String.join("+", sources),
                warmUpHours,
                days * 24,
                cfg.predictions().horizon().toMinutes(),
                cfg.predictions().quantile());
        System.out.println(ScenarioResult.header());
        run("isolation off, predictions on", base.withIsolation(false));
        run("isolation on, predictions on", base.withIsolation(true));
        run(
                "isolation off, predictions off",
                base.withIsolation(false)
                        .withConfig(cfg.withPredictions(cfg.predictions().withEnabled(false))));
        run(
                "isolation on, predictions off",
                base.withIsolation(true)
                        .withConfig(cfg.withPredictions(cfg.predictions().withEnabled(false))));
        return 0;
    }

    private void run(String label, ScenarioOptions options) {
        if (only != null && !label.contains(only)) {
            return;
        }
        long t0 = System.nanoTime();
        ScenarioResult r = new TraceScenario(options).run();
        System.out.println(r.row(label) + String.format(" <!-- %.0f s -->", (System.nanoTime() - t0) / 1e9));
    }

    /** The scenario's defaults: 16-core / 64 GiB nodes, prod requesting 80 %, prod memory 40 %, 1-min steps. */
    static ScenarioOptions defaults(
            int nodes,
            List<Trace> traces,
            QshardConfig config,
            PodUtilisation utilisation,
            Duration warmUp,
            Duration measured,
            long seed) {
        QshardConfig oneMinuteReports = config.withPools(new io.qshard.core.pool.PoolConfig(
                config.pools().cpuTargetUtilization(),
                config.pools().memoryTargetUtilization(),
                config.pools().cpuSafetyMargin(),
                config.pools().memorySafetyMargin(),
                config.pools().estimateFactor(),
                Duration.ofMinutes(1),
                Duration.ofMinutes(6)));
        return new ScenarioOptions(
                nodes,
                16_000,
                64L << 30,
                traces,
                0.8,
                0.4,
                JobStream.Settings.defaults(),
                utilisation,
                false,
                oneMinuteReports,
                Duration.ofMinutes(1),
                warmUp,
                measured,
                0.9,
                seed);
    }

    /** Every {@code *.csv} in {@code dir} whose name starts with one of {@code prefixes}, sorted by name. */
    static List<Trace> loadTraces(Path dir, List<String> prefixes) throws IOException {
        List<Trace> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                if (prefixes.isEmpty() || prefixes.stream().anyMatch(name::startsWith)) {
                    out.add(TraceCsv.read(f, w -> {}));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    "no trace in " + dir + " matches " + Arrays.toString(prefixes.toArray()));
        }
        return out;
    }
}
