package io.qshard.bench.scenario;

import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.simulator.PodUtilisation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The migration loop's trace-driven scenario (issue 9), offline ({@link TraceScenario}): 200 nodes, two simulated days
 * after a day's warm-up, prod on real traces, batch and free jobs filling the pools; hot node-time and evictions per
 * hour with migration off, reactive only, and predictive — each without and with the node agent's isolation.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.scenario.MigrationScenarioMain --nodes 200 --days 2</pre>
 */
@Command(name = "migration-scenario", mixinStandardHelpOptions = true)
public final class MigrationScenarioMain implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "200")
    int nodes;

    @Option(names = "--days", defaultValue = "2")
    double days;

    @Option(names = "--warm-up-hours", defaultValue = "24")
    double warmUpHours;

    @Option(names = "--traces", defaultValue = "../shared/traces")
    Path traces;

    @Option(names = "--sources", defaultValue = "alibaba2018,bitbrains_rnd", split = ",")
    List<String> sources;

    @Option(names = "--utilisation", defaultValue = "0.6,1.0")
    String utilisation;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--isolation", description = "off, on or both (default: ${DEFAULT-VALUE})", defaultValue = "both")
    String isolation;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MigrationScenarioMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        QshardConfig cfg = QshardConfig.defaults();
        ScenarioOptions base = UtilisationScenarioMain.defaults(
                nodes,
                UtilisationScenarioMain.loadTraces(traces, sources),
                cfg,
                PodUtilisation.parse(utilisation, seed),
                Duration.ofMinutes(Math.round(warmUpHours * 60)),
                Duration.ofMinutes(Math.round(days * 24 * 60)),
                seed);
        System.out.printf(
                "%d nodes, %.0f h warm-up + %.0f h measured, 1-min reports; hot = cpu above 90 %% "
                        + "(migration: hot for 3 reports or predicted, evict down to 80 %%, cooldown 5 min)%n%n",
                nodes, warmUpHours, days * 24);
        System.out.println(ScenarioResult.header());
        for (boolean iso :
                isolation.equals("both") ? new boolean[] {false, true} : new boolean[] {isolation.equals("on")}) {
            String i = iso ? "isolation on" : "isolation off";
            MigrationConfig m = base.config().migration();
            run(i + ", migration off", base.withIsolation(iso), null);
            run(
                    i + ", migration reactive only",
                    withMigration(base.withIsolation(iso), m.withPredictive(false)),
                    m.withPredictive(false));
            run(i + ", migration predictive", withMigration(base.withIsolation(iso), m), m);
        }
        return 0;
    }

    private static ScenarioOptions withMigration(ScenarioOptions o, MigrationConfig m) {
        return o.withConfig(o.config().withMigration(m));
    }

    private static void run(String label, ScenarioOptions options, MigrationConfig migration) {
        long t0 = System.nanoTime();
        TraceScenario s = new TraceScenario(options);
        if (migration != null) {
            s.with(new MigrationHook(migration));
        }
        ScenarioResult r = s.run();
        System.out.println(r.row(label) + String.format(" <!-- %.0f s -->", (System.nanoTime() - t0) / 1e9));
    }
}
