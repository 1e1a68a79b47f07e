package io.qshard.cli;

import io.qshard.controllers.oversale.OversaleController;
import io.qshard.controllers.oversale.OversaleSettings;
import io.qshard.controllers.oversale.RatioPolicy;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.health.ExitOnFatalOption;
import io.qshard.kube.health.FatalExit;
import io.qshard.kube.health.HealthChecks;
import io.qshard.kube.metrics.MetricsHttpServer;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.StopSignals;
import io.qshard.kube.process.UserError;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qshard oversale run}: the ratio controller, until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Set the oversale ratios of nodes labelled qshard.io/oversale=true from the usage view: "
                    + "ratio = 1 + (peakCap − predicted peak usage) / real allocatable, at most the maximum, changed by at "
                    + "most --max-step at most every --min-interval, never lowered below what bound pods request. "
                    + "Invalid hand-edited ratios are reported (Event, log) and replaced.",
            "One replica leads at a time (Lease qshard-oversale). SIGTERM stops it (exit 0); a loop that dies stops it "
                    + "with exit 70 (see --exit-on-fatal)."
        })
public final class OversaleRunCommand implements Callable<Integer> {
    @Option(
            names = "--max-cpu-ratio",
            paramLabel = "X",
            defaultValue = "2.0",
            description = "Largest cpu ratio, [1, 3] (default: ${DEFAULT-VALUE}).")
    double maxCpu;

    @Option(
            names = "--max-memory-ratio",
            paramLabel = "X",
            defaultValue = "1.5",
            description = "Largest memory ratio, [1, 3] (default: ${DEFAULT-VALUE}).")
    double maxMemory;

    @Option(
            names = "--max-step",
            paramLabel = "X",
            defaultValue = "0.1",
            description = "Largest change per step (default: ${DEFAULT-VALUE}).")
    double maxStep;

    @Option(
            names = "--min-interval",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Least time between two changes of a node's ratios (default: ${DEFAULT-VALUE}).")
    long minIntervalSeconds;

    @Option(
            names = "--period",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How often ratios are reconsidered (default: ${DEFAULT-VALUE}).")
    long periodSeconds;

    @Option(names = "--dry-run", description = "Log what would change; write nothing.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    ElectionOptions election;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (pools and predictions). Default: built in.")
    Path config;

    @Mixin
    KubeconfigOption cluster;

    @Option(
            names = "--sync-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for the informers (default: ${DEFAULT-VALUE}).")
    long syncTimeoutSeconds;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9406",
            description =
                    "Serve /metrics (ratio changes, refused ratios, write errors, leadership), /healthz and /readyz "
                            + "(synced and acting) on this port; 0: any free port, named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin
    ExitOnFatalOption fatal;

    @Override
    public Integer call() throws Exception {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new UserError("--metrics-port must be in 0..65535, was " + metricsPort);
        }
        QshardConfig cfg = RunCommand.loadConfig(config);
        OversaleSettings settings;
        try {
            double target = cfg.pools().cpuTargetUtilization();
            settings = new OversaleSettings(
                    new RatioPolicy(maxCpu, target, maxStep, Duration.ofSeconds(minIntervalSeconds)),
                    new RatioPolicy(
                            maxMemory,
                            cfg.pools().memoryTargetUtilization(),
                            maxStep,
                            Duration.ofSeconds(minIntervalSeconds)),
                    Duration.ofSeconds(periodSeconds),
                    dryRun,
                    election.leaseNamespaceOrNull(),
                    election.identityOrHostname());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ApiserverConnection.open(resolved, "qshard-oversale").close();
        PrometheusMetrics metrics = new PrometheusMetrics();
        HealthChecks health = new HealthChecks();
        int exit = 0;
        try (OversaleController controller = new OversaleController(
                        io.qshard.kube.client.ApiClients.create(resolved.config(), "qshard-oversale"),
                        cfg,
                        settings,
                        Clock.systemUTC(),
                        metrics);
                MetricsHttpServer http = new MetricsHttpServer(
                        new InetSocketAddress(metricsPort), metrics, controller::notReadyReason, health, false)) {
            controller.start(Duration.ofSeconds(syncTimeoutSeconds));
            health.add("oversale", controller.heartbeat(), controller.heartbeatMaxAge());
            java.util.Optional<String> died = StopSignals.await(fatal.watched(health));
            if (died.isPresent()) {
                // the controller is closed on the way out, under the exit watchdog
                exit = FatalExit.stop("qshard oversale run", died.get(), Duration.ofSeconds(15), () -> {});
            }
        } catch (RuntimeException e) {
            if (exit == 0) {
                throw e;
            }
            // closing after a fatal failure failed too: the exit status must still say "restart me"
            System.err.println("qshard oversale run: closing after the fatal failure failed: " + e);
        }
        return exit;
    }
}
