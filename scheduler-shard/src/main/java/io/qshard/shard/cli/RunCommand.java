package io.qshard.shard.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.qshard.core.config.ConfigException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.shard.status.PodStatusReporter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qshard run}: a tier scheduler that binds pods through the API until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the scheduler of one tier (or of all tiers) against a cluster.",
                "Pods choose a tier with spec.schedulerName (qshard-prod, qshard-mid, qshard-batch, qshard-free by default).",
                "SIGTERM / Ctrl-C stops taking pods, lets in-flight bindings finish (up to --grace) and exits 0."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "qshard.yaml with tiers, pools and scheduling parameters (default: the built-in four tiers).")
    Path config;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--tier", paramLabel = "TIER", required = true, description = "The tier to schedule (prod, mid, batch, free, or one from --config).")
        String tier;

        @Option(names = "--all-tiers", required = true, description = "Run every configured tier's scheduler in this process.")
        boolean allTiers;
    }

    @Option(names = "--shard", paramLabel = "N", defaultValue = "0",
            description = "The shard of the tier to run, 0..shards-1 (default: ${DEFAULT-VALUE}).")
    int shard;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Cluster to use; default as kubectl: KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    Path kubeconfig;

    @Option(names = "--bind-concurrency", paramLabel = "N", defaultValue = "" + Binder.DEFAULT_CONCURRENCY,
            description = "Bindings in flight at most, per tier (default: ${DEFAULT-VALUE}).")
    int bindConcurrency;

    @Option(names = "--scheduled-events-per-second", paramLabel = "R", defaultValue = "" + PodStatusReporter.DEFAULT_SCHEDULED_PER_SECOND,
            description = "Per-pod Scheduled events at most; beyond that one summary event every 10 s (default: ${DEFAULT-VALUE}).")
    double scheduledEvents;

    @Option(names = "--failed-events-per-second", paramLabel = "R", defaultValue = "" + PodStatusReporter.DEFAULT_FAILED_PER_SECOND,
            description = "FailedScheduling events + PodScheduled condition writes at most (default: ${DEFAULT-VALUE}).")
    double failedEvents;

    @Option(names = "--sync-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up if the informers have not listed nodes and pods within this time (default: ${DEFAULT-VALUE}).")
    int syncTimeoutSeconds;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM, wait this long for in-flight bindings (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        QshardConfig cfg = loadConfig();
        List<Tier> tiers = new ArrayList<>();
        if (which.allTiers) {
            tiers.addAll(cfg.tiers());
        } else {
            tiers.add(cfg.tier(which.tier));
        }
        for (Tier t : tiers) {
            if (t.shards() > 1) {
                throw new UserError("tier '" + t.name() + "' is configured with " + t.shards()
                        + " shards; sharded tiers need the shard map, which this build does not have yet: set shards: 1");
            }
        }
        if (shard != 0) {
            throw new ParameterException(spec.commandLine(), "--shard " + shard + " is out of range: the tier has 1 shard (0)");
        }
        SchedulerSettings settings;
        try {
            settings = new SchedulerSettings(bindConcurrency, scheduledEvents, failedEvents);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SchedulerProcess process = SchedulerProcess.start(kubeconfig, cfg, ShippedPlugins.registry(), tiers, settings,
                Duration.ofSeconds(syncTimeoutSeconds), Clock.systemUTC());
        StopSignals.await();
        LOG.info("shutting down: no new pods; waiting up to {} s for in-flight bindings", graceSeconds);
        process.stop(Duration.ofSeconds(graceSeconds));
        LOG.info("stopped");
        return 0;
    }

    private QshardConfig loadConfig() {
        return loadConfig(config);
    }

    /** {@code qshard.yaml} from {@code file}, or the built-in tiers when null; invalid config is a {@link UserError}. */
    static QshardConfig loadConfig(java.nio.file.Path file) {
        try {
            return file == null ? QshardConfig.defaults() : new QshardConfigLoader(ShippedPlugins.registry()).load(file);
        } catch (ConfigException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
