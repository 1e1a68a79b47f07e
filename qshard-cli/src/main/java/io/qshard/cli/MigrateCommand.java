package io.qshard.cli;

import io.qshard.controllers.migrate.MigrationController;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qshard migrate}: the migration loop, until SIGTERM. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        subcommands = MigratePlanCommand.class,
        description = {
            "Move lower-tier pods off hot nodes: a node above migration.hotThreshold for migration.hotReports "
                    + "reports (or predicted to cross it, once near) loses free, then batch, then mid pods — the fewest that "
                    + "bring it under migration.targetUtilization, each checked to fit on another node that is not hot — "
                    + "through the Eviction API (PodDisruptionBudgets hold), within the rate, per-node, per-workload and "
                    + "cooldown limits of qshard.yaml. Every decision is an Event and a log line.",
            "One replica acts at a time (Lease qshard-migrate). `qshard migrate plan` prints the next cycle. "
                    + "SIGTERM stops it (exit 0); a loop that dies stops it with exit 70 (see --exit-on-fatal)."
        })
public final class MigrateCommand implements Callable<Integer> {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (tiers, pools, predictions, migration). Default: built in.")
    Path config;

    @Option(names = "--dry-run", description = "Plan and report every cycle; evict nothing.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    ElectionOptions election;

    @Mixin
    KubeconfigOption cluster;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9405",
            description =
                    "Serve /metrics (evictions by result, hot nodes), /healthz and /readyz (synced and acting) on this "
                            + "port; 0: any free port, named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--sync-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for the informers (default: ${DEFAULT-VALUE}).")
    long syncTimeoutSeconds;

    @Mixin
    ExitOnFatalOption fatal;

    @Override
    public Integer call() throws Exception {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new UserError("--metrics-port must be in 0..65535, was " + metricsPort);
        }
        QshardConfig cfg = RunCommand.loadConfig(config);
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ApiserverConnection.open(resolved, "qshard-migrate").close();
        PrometheusMetrics metrics = new PrometheusMetrics();
        int exit = 0;
        try (MigrationController controller = new MigrationController(
                io.qshard.kube.client.ApiClients.create(resolved.config(), "qshard-migrate"),
                cfg,
                dryRun,
                election.leaseNamespaceOrNull(),
                election.identityOrHostname(),
                Clock.systemUTC(),
                metrics)) {
            HealthChecks health = new HealthChecks();
            try (MetricsHttpServer http = new MetricsHttpServer(
                    new java.net.InetSocketAddress(metricsPort), metrics, controller::notReadyReason, health, false)) {
                controller.start(Duration.ofSeconds(syncTimeoutSeconds));
                health.add("migrate", controller.heartbeat(), controller.heartbeatMaxAge());
                java.util.Optional<String> died = StopSignals.await(fatal.watched(health));
                if (died.isPresent()) {
                    // the controller is closed on the way out, under the exit watchdog
                    exit = FatalExit.stop("qshard migrate", died.get(), Duration.ofSeconds(15), () -> {});
                }
            }
        } catch (RuntimeException e) {
            if (exit == 0) {
                throw e;
            }
            // closing after a fatal failure failed too: the exit status must still say "restart me"
            System.err.println("qshard migrate: closing after the fatal failure failed: " + e);
        }
        return exit;
    }
}
