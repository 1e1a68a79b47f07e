package io.qshard.bench.scenario;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.simulator.PodUtilisation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replica hosting's offline scenario (issue 23) on a simulated clock ({@link TraceScenario}): the utilisation
 * scenario's fleet and prod traces, the design's config (isolation on, predictions on, the predictive migration loop),
 * and instead of a job backlog the borrowing tiers' long-running services ({@link HostedServices}) whose pods restart
 * after a finite lifetime. Runs hosting off and on with the same traces and seed, prints the table and the cut in
 * pending pod-seconds, and says FAIL when the cut is under 80 % or the mean cpu with hosting on is below off.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.scenario.HostingScenarioMain --nodes 200 --days 2</pre>
 */
@Command(
        name = "hosting-scenario",
        mixinStandardHelpOptions = true,
        description = "Offline trace scenario: pending pod-seconds and mean cpu with replica hosting off vs on.")
public final class HostingScenarioMain implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "200", description = "Fleet size (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--days", defaultValue = "2", description = "Measured simulated days (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--warm-up-hours", defaultValue = "24", description = "Simulated hours before measuring.")
    double warmUpHours;

    @Option(names = "--traces", defaultValue = "../shared/traces", description = "Trace directory.")
    Path traces;

    @Option(names = "--sources", defaultValue = "alibaba2018,bitbrains_rnd", split = ",")
    List<String> sources;

    @Option(names = "--utilisation", defaultValue = "0.6,1.0", description = "Pod demand = request × u.")
    String utilisation;

    @Option(names = "--config", description = "qshard.yaml for the schedulers (default: built in).")
    Path config;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--batch-services", defaultValue = "40")
    int batchServices;

    @Option(names = "--free-services", defaultValue = "20")
    int freeServices;

    @Option(
            names = "--batch-share",
            defaultValue = "0.40",
            description = "Σ request × pod cpu of the batch services, share of the fleet's cpu (default: "
                    + "${DEFAULT-VALUE}).")
    double batchShare;

    @Option(
            names = "--free-share",
            defaultValue = "0.15",
            description = "The same for free (default: ${DEFAULT-VALUE}).")
    double freeShare;

    @Option(names = "--min-factor", defaultValue = "0.25", description = "min = max(1, ⌈request × this⌉).")
    double minFactor;

    @Option(names = "--max-factor", defaultValue = "2", description = "max = ⌈request × this⌉.")
    double maxFactor;

    @Option(names = "--lifetime-hours", defaultValue = "2", description = "Mean pod lifetime (exponential).")
    double lifetimeHours;

    @Option(names = "--hysteresis", description = "Replica hosting's band (default: the controller's).")
    Double hysteresis;

    @Option(names = "--up-window-minutes", description = "Replica hosting's up window (default: the controller's).")
    Integer upWindowMinutes;

    @Option(names = "--only", description = "Run only \"off\" or \"on\".")
    String only;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HostingScenarioMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        QshardConfig cfg = config == null
                ? QshardConfig.defaults()
                : new QshardConfigLoader(ShippedPlugins.registry()).load(config);
        ScenarioOptions u = UtilisationScenarioMain.defaults(
                nodes,
                UtilisationScenarioMain.loadTraces(traces, sources),
                cfg,
                PodUtilisation.parse(utilisation, seed),
                Duration.ofMinutes(Math.round(warmUpHours * 60)),
                Duration.ofMinutes(Math.round(days * 24 * 60)),
                seed);
        ScenarioOptions base = withoutBacklog(u).withIsolation(true);
        HostingSettings d = HostingSettings.defaults();
        HostingSettings hosting = new HostingSettings(
                d.minInterval(),
                upWindowMinutes == null ? d.upWindow() : Duration.ofMinutes(upWindowMinutes),
                hysteresis == null ? d.hysteresis() : hysteresis,
                d.maxStepPods(),
                d.maxStepPercent(),
                d.maxReplicasPerMinute(),
                d.manualHold(),
                d.maxReplicasCap(),
                d.freshShare());
        HostedServices.Settings sizing = new HostedServices.Settings(
                batchServices,
                freeServices,
                batchShare,
                freeShare,
                minFactor,
                maxFactor,
                500,
                2_000,
                2L << 30,
                Math.round(lifetimeHours * 3600));
        List<HostedServices.Service> services =
                HostedServices.build(sizing, cfg, (long) nodes * base.nodeCpuMilli(), seed);
        System.out.printf(
                Locale.ROOT,
                "%d nodes, %.0f h warm-up + %.0f h measured, 1-min reports, isolation on, predictions on, predictive "
                        + "migration; %d batch + %d free services requesting %.0f %% + %.0f %% of the cpu (%d replicas),"
                        + " min ×%.2f, max ×%.1f, pod lifetime %.1f h; hosting: hysteresis %.3f, up window %d min%n%n",
                nodes,
                warmUpHours,
                days * 24,
                batchServices,
                freeServices,
                100 * batchShare,
                100 * freeShare,
                services.stream().mapToInt(HostedServices.Service::request).sum(),
                minFactor,
                maxFactor,
                lifetimeHours,
                hosting.hysteresis(),
                hosting.upWindow().toMinutes());
        System.out.println(ScenarioResult.hostingHeader());
        ScenarioResult off = run("hosting off", base, services, null, sizing);
        ScenarioResult on = run("hosting on", base, services, hosting, sizing);
        if (off == null || on == null) {
            return 0;
        }
        double cut = off.pendingPodSeconds() == 0 ? 0 : 1 - on.pendingPodSeconds() / off.pendingPodSeconds();
        boolean pass = cut >= 0.8 && on.meanCpu() >= off.meanCpu();
        System.out.printf(
                Locale.ROOT,
                "%nhosting cuts pending pod-seconds by %.1f %% (>= 80 %% required); mean cpu %.1f %% -> %.1f %%: %s%n",
                100 * cut,
                off.meanCpu(),
                on.meanCpu(),
                pass ? "PASS" : "FAIL");
        return 0;
    }

    /** @return {@code o} without the job backlog: the services are the borrowing work */
    static ScenarioOptions withoutBacklog(ScenarioOptions o) {
        return new ScenarioOptions(
                o.nodes(),
                o.nodeCpuMilli(),
                o.nodeMemoryBytes(),
                o.traces(),
                o.prodRequestFraction(),
                o.prodMemoryLoad(),
                new JobStream.Settings(0, 1.0 / 3, 500, 2_000, 2L << 30, 2 * 3600),
                o.utilisation(),
                o.isolation(),
                o.config(),
                o.step(),
                o.warmUp(),
                o.measured(),
                o.hotThreshold(),
                o.seed());
    }

    private ScenarioResult run(
            String label,
            ScenarioOptions options,
            List<HostedServices.Service> services,
            HostingSettings hosting,
            HostedServices.Settings sizing) {
        if (only != null && !label.endsWith(only)) {
            return null;
        }
        long t0 = System.nanoTime();
        HostedServices hook = new HostedServices(services, options.config(), hosting, sizing, seed);
        ScenarioResult r = new TraceScenario(options)
                .with(new MigrationHook(options.config().migration()))
                .with(hook)
                .run();
        System.out.println(r.hostingRow(label, options.measured())
                + String.format(
                        Locale.ROOT,
                        " <!-- %.0f s; mean replicas %.0f of %d requested -->",
                        (System.nanoTime() - t0) / 1e9,
                        hook.meanReplicas(),
                        hook.requested()));
        return r;
    }
}
