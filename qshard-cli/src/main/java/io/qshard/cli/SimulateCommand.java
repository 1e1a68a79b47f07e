package io.qshard.cli;

import io.qshard.core.config.QshardConfig;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.StopSignals;
import io.qshard.kube.process.UserError;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import io.qshard.simulator.SyntheticLoad;
import io.qshard.simulator.TraceDirectory;
import io.qshard.simulator.TraceLoad;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qshard simulate}: plays the kubelets of nodes that have none, and reports their usage. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Play the nodes that have no kubelet, as KWOK does: mark bound pods Running and Ready, finish "
                    + "deleting terminating pods, write a NodeUsage report per node every interval (background prod load "
                    + "from real traces, else a built-in synthetic diurnal one; other pods at request × utilisation) and "
                    + "advertise each node's batch pool as the qshard.io/batch-cpu / qshard.io/batch-memory extended "
                    + "resources.",
            "Needs the NodeUsage CRD (manifests/crds/nodeusage.yaml). Runs until SIGTERM/SIGINT."
        })
public final class SimulateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

    @Mixin
    KubeconfigOption cluster;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "qshard.yaml (tiers and pools; the batch pool uses the schedulers' formula). Default: built in.")
    Path config;

    @Option(
            names = "--node-selector",
            paramLabel = "KEY=VALUE",
            description = "Play only nodes with this label (repeatable; all must match). Default: every node.")
    List<String> nodeSelector = new ArrayList<>();

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often each node reports (default: ${DEFAULT-VALUE}).")
    long intervalSeconds;

    @Option(
            names = "--traces",
            paramLabel = "DIR",
            description = "timestamp_s,cpu_pct,mem_pct traces for the background (prod) load; node i plays trace "
                    + "i mod n. Default: a built-in synthetic diurnal load (a daily cycle per node, noise, occasional "
                    + "spikes above 90 %%; from --seed), or a constant --load.")
    Path traces;

    @Option(
            names = "--speedup",
            paramLabel = "X",
            defaultValue = "60",
            description = "Trace seconds replayed per real second, real or synthetic (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--load",
            paramLabel = "FRACTION",
            description =
                    "A constant background cpu and memory load, in [0, 2], instead of the synthetic one (not with "
                            + "--traces).")
    Double load;

    @Option(
            names = "--utilisation",
            paramLabel = "LOW,HIGH",
            defaultValue = "0.2,0.6",
            description = "Each non-prod pod uses request × u, u drawn per pod from uniform(LOW, HIGH) "
                    + "(default: ${DEFAULT-VALUE}).")
    String utilisation;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the per-pod draw and of the synthetic load (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--writers",
            paramLabel = "N",
            defaultValue = "16",
            description = "Concurrent API writes (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(
            names = "--isolation",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description = "Also play the node agent's isolation: batch and free pods together use at most the "
                    + "besteffort box, peakCap − prod − mid − margin of the last report (default: ${DEFAULT-VALUE}).")
    boolean isolation;

    @Option(
            names = "--sync-timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for the informers (default: ${DEFAULT-VALUE}).")
    long syncTimeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        if (intervalSeconds < 1) {
            throw new UserError("--interval must be at least 1s");
        }
        if (writers < 1 || writers > 256) {
            throw new UserError("--writers must be in 1..256, was " + writers);
        }
        if (load != null && !(load >= 0 && load <= 2)) {
            throw new UserError("--load must be in [0, 2], was " + load);
        }
        if (!(speedup > 0 && speedup < Double.POSITIVE_INFINITY)) {
            throw new UserError("--speedup must be finite and > 0, was " + speedup);
        }
        if (load != null && traces != null) {
            throw new UserError("--load and --traces exclude each other: a constant load or real traces");
        }
        PodUtilisation model;
        BackgroundLoad background;
        try {
            model = PodUtilisation.parse(utilisation, seed);
            if (traces != null) {
                background = new TraceLoad(TraceDirectory.read(traces), speedup);
            } else if (load != null) {
                background = TraceLoad.constant(load, load);
            } else {
                background = new SyntheticLoad(seed, speedup);
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String s : nodeSelector) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--node-selector must be KEY=VALUE, was '" + s + "'");
            }
            labels.put(s.substring(0, eq), s.substring(eq + 1));
        }
        QshardConfig cfg = RunCommand.loadConfig(config);
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ApiserverConnection.open(resolved, "qshard-simulate").close();
        if (background instanceof SyntheticLoad) {
            LOG.info("No --traces: the prod load is a synthetic diurnal one (pass --traces DIR for real ones).");
        }
        SimulationSettings settings = new SimulationSettings(
                labels, background, model, Duration.ofSeconds(intervalSeconds), writers, isolation);
        SimulatorProcess process = SimulatorProcess.start(
                io.qshard.kube.client.ApiClients.create(resolved.config(), "qshard-simulate"),
                cfg,
                settings,
                Duration.ofSeconds(syncTimeoutSeconds),
                Clock.systemUTC());
        StopSignals.await();
        LOG.info(
                "stopping: {} pods started, {} finalised, {} usage writes, {} errors, {} late ticks",
                process.simulator().writes.podsStarted.sum(),
                process.simulator().writes.podsFinalised.sum(),
                process.simulator().writes.usageWrites.sum(),
                process.simulator().writes.writeErrors.sum(),
                process.simulator().lateTicks.sum());
        process.close();
        return 0;
    }
}
