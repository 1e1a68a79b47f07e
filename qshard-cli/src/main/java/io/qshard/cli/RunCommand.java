package io.qshard.cli;

import io.qshard.core.config.ConfigException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.health.ExitOnFatalOption;
import io.qshard.kube.health.FatalExit;
import io.qshard.kube.health.HealthChecks;
import io.qshard.kube.metrics.MetricsHttpServer;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.StopSignals;
import io.qshard.kube.process.UserError;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.status.PodStatusReporter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qshard run}: a tier scheduler that binds pods through the API until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the scheduler of one tier (or of all tiers) against a cluster.",
            "Pods choose a tier with spec.schedulerName (qshard-prod, qshard-mid, qshard-batch, qshard-free by default).",
            "SIGTERM / Ctrl-C stops taking pods, lets in-flight bindings finish (up to --grace) and exits 0; a decision "
                    + "loop that dies stops it the same way and exits 70 (see --exit-on-fatal)."
        })
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml with tiers, pools and scheduling parameters (default: the built-in four tiers).")
    Path config;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(
                names = "--tier",
                paramLabel = "TIER",
                required = true,
                description = "The tier to schedule (prod, mid, batch, free, or one from --config).")
        String tier;

        @Option(
                names = "--all-tiers",
                required = true,
                description = "Run every configured tier's scheduler in this process.")
        boolean allTiers;
    }

    @Option(
            names = "--shard",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "The shard of the tier to run, 0..shards-1 (default: ${DEFAULT-VALUE}); with --all-tiers every shard runs.")
    int shard;

    @Mixin
    KubeconfigOption cluster;

    @Option(
            names = "--bind-concurrency",
            paramLabel = "N",
            defaultValue = "" + Binder.DEFAULT_CONCURRENCY,
            description =
                    "Bindings in flight at most, per tier (default: ${DEFAULT-VALUE}); a quarter as many more may be "
                            + "decided ahead and wait for a slot, so the slots stay full.")
    int bindConcurrency;

    @Option(
            names = "--volume-bind-timeout",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long a pod's binding waits for kube-controller-manager's PV controller to bind the "
                    + "claims chosen for it (WaitForFirstConsumer) before it fails and the pod is retried "
                    + "(kube-scheduler: 600 s) (default: ${DEFAULT-VALUE}).")
    long volumeBindSeconds;

    @Option(
            names = "--scheduled-events-per-second",
            paramLabel = "R",
            defaultValue = "" + PodStatusReporter.DEFAULT_SCHEDULED_PER_SECOND,
            description =
                    "Per-pod Scheduled events at most; beyond that one summary event every 10 s (default: ${DEFAULT-VALUE}).")
    double scheduledEvents;

    @Option(
            names = "--failed-events-per-second",
            paramLabel = "R",
            defaultValue = "" + PodStatusReporter.DEFAULT_FAILED_PER_SECOND,
            description =
                    "FailedScheduling events + PodScheduled condition writes at most (default: ${DEFAULT-VALUE}).")
    double failedEvents;

    @Option(
            names = "--sync-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description =
                    "Give up if the informers have not listed nodes and pods within this time (default: ${DEFAULT-VALUE}).")
    int syncTimeoutSeconds;

    @Option(
            names = "--grace",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "On SIGTERM, wait this long for in-flight bindings (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(
            names = "--lease-namespace",
            paramLabel = "NS",
            defaultValue = "",
            description = "Elect one leader per (tier, shard) on Leases qshard-<tier>-<shard> in this namespace, so "
                    + "replicas can stand by; empty: decide without election (one replica per shard) (default: none).")
    String leaseNamespace;

    @Option(
            names = "--identity",
            paramLabel = "NAME",
            defaultValue = "${env:POD_NAME}",
            description =
                    "This replica's identity in the Leases and shard acknowledgements (default: $POD_NAME, else host-pid).")
    String identity;

    @Option(
            names = "--lease-duration",
            paramLabel = "DURATION",
            defaultValue = "15s",
            converter = DurationConverter.class,
            description = "A standby takes over this long after the leader's last renewal (default: ${DEFAULT-VALUE}).")
    long leaseSeconds;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9402",
            description = "Serve /metrics, /healthz and /readyz (ready = informers synced and leading) on this port; "
                    + "0: any free port, named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--node-bookings",
            paramLabel = "MODE",
            defaultValue = "auto",
            converter = BookingModeConverter.class,
            description = "Book each placement on its node's Lease (qshard-book-<node>, in --lease-namespace, else "
                    + "default) before binding it, so that scheduler processes of different tiers never over-book a "
                    + "node between their informers: auto (on with --lease-namespace, whose replicas may lead "
                    + "different tiers, or unless this process runs --all-tiers alone), on, off "
                    + "(default: ${DEFAULT-VALUE}).")
    SchedulerSettings.BookingMode nodeBookings;

    @Mixin
    ExitOnFatalOption fatal;

    @Option(
            names = "--test-hooks",
            hidden = true,
            description = "Tests only: serve POST /debug/kill?loop=decision on the metrics port, which makes the "
                    + "decision loops throw an Error (default: off).")
    boolean testHooks;

    @Override
    public Integer call() throws Exception {
        QshardConfig cfg = loadConfig();
        List<SchedulerProcess.Instance> instances;
        SchedulerSettings settings;
        try {
            instances = instances(cfg);
            settings = settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--metrics-port must be in 0..65535, was " + metricsPort);
        }
        AtomicReference<SchedulerProcess> started = new AtomicReference<>();
        PrometheusMetrics metrics = new PrometheusMetrics(); // empty until the process has synced
        HealthChecks health = new HealthChecks(); // the decision loops, once started
        // up before the informers sync, so probes read "not ready" rather than a closed port
        try (MetricsHttpServer http = new MetricsHttpServer(
                new InetSocketAddress(metricsPort),
                metrics,
                () -> started.get() == null
                        ? Optional.of("informers not synced")
                        : started.get().notReadyReason(),
                health,
                testHooks)) {
            SchedulerProcess process = SchedulerProcess.start(
                    cluster.kubeconfig,
                    cfg,
                    ShippedPlugins.registry(),
                    instances,
                    settings,
                    Duration.ofSeconds(syncTimeoutSeconds),
                    Clock.systemUTC(),
                    metrics);
            process.registerHealth(health); // before started: /readyz may say ready only once the loops are watched
            started.set(process);
            Optional<String> died = StopSignals.await(fatal.watched(health));
            if (died.isPresent()) {
                Duration grace = Duration.ofSeconds(graceSeconds);
                return FatalExit.stop("qshard run", died.get(), grace.plusSeconds(10), () -> process.stop(grace));
            }
            LOG.info("shutting down: no new pods; waiting up to {} s for in-flight bindings", graceSeconds);
            process.stop(Duration.ofSeconds(graceSeconds));
            LOG.info("stopped");
        }
        return 0;
    }

    /** The instances this process runs: every shard of every tier, or one shard of one tier. */
    List<SchedulerProcess.Instance> instances(QshardConfig cfg) {
        List<SchedulerProcess.Instance> instances = new ArrayList<>();
        if (which.allTiers) {
            instances.addAll(SchedulerProcess.allShards(cfg.tiers())); // every shard of every tier, one process
        } else {
            instances.add(new SchedulerProcess.Instance(cfg.tier(which.tier), shard));
        }
        return instances;
    }

    /** The settings the options give; an {@link IllegalArgumentException} names a bad one. */
    SchedulerSettings settings() {
        SchedulerSettings settings = new SchedulerSettings(bindConcurrency, scheduledEvents, failedEvents)
                .withVolumeBindTimeout(Duration.ofSeconds(volumeBindSeconds))
                .withNodeBookings(nodeBookings);
        if (!leaseNamespace.isBlank()) {
            Duration lease = Duration.ofSeconds(leaseSeconds);
            settings = settings.withElection(
                    leaseNamespace,
                    identity == null || identity.isBlank() ? SchedulerSettings.defaultIdentity() : identity,
                    lease,
                    lease.multipliedBy(2).dividedBy(3),
                    lease.dividedBy(7).compareTo(Duration.ofSeconds(1)) < 0
                            ? Duration.ofSeconds(1)
                            : lease.dividedBy(7));
        }
        return settings;
    }

    /** {@code auto|on|off}, any case; anything else names the option and the values. */
    static final class BookingModeConverter
            implements picocli.CommandLine.ITypeConverter<SchedulerSettings.BookingMode> {
        @Override
        public SchedulerSettings.BookingMode convert(String value) {
            for (SchedulerSettings.BookingMode m : SchedulerSettings.BookingMode.values()) {
                if (m.name().equalsIgnoreCase(value.strip())) {
                    return m;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "--node-bookings must be auto, on or off, was '" + value + "'");
        }
    }

    private QshardConfig loadConfig() {
        return loadConfig(config);
    }

    /** {@code qshard.yaml} from {@code file}, or the built-in tiers when null; invalid config is a {@link UserError}. */
    static QshardConfig loadConfig(java.nio.file.Path file) {
        try {
            return file == null
                    ? QshardConfig.defaults()
                    : new QshardConfigLoader(ShippedPlugins.registry()).load(file);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
