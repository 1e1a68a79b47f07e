package io.qshard.demo;

import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.UserError;
import io.qshard.localcluster.ControlPlaneException;
import io.qshard.localcluster.KubeletSupport;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.SyntheticLoad;
import io.qshard.simulator.TraceDirectory;
import io.qshard.simulator.TraceLoad;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qshard demo}: the README's first command. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run qshard end to end on a local control plane it starts itself (etcd, kube-apiserver, "
                    + "kube-controller-manager): simulated nodes whose prod load replays real traces (a built-in "
                    + "synthetic diurnal load when there are none), the four tier schedulers (batch with 2 shards), the "
                    + "migration loop, prod Deployments first, then mid, batch and free. A progress line every 5 s; at the "
                    + "end a report (utilisation before/after, pods per tier, hot node-time, scheduling throughput) and an "
                    + "SVG chart of cluster cpu over time. Ctrl-C tears everything down.",
            "With --real-nodes N, N real kubelet nodes (kubelet + containerd, 1000m / 3 GiB each; needs root) run "
                    + "beside the simulated ones, a node agent each, and a small workload of every tier pinned to them; "
                    + "the report then says what the kubelets admitted.",
            "Default: 200 nodes, ~5 minutes in all."
        })
public final class DemoCommand implements Callable<Integer>, io.qshard.cli.QshardSubcommand {
    /** Default number of simulated nodes. */
    public static final int DEFAULT_NODES = DemoSettings.DEFAULT_NODES;

    /** Seconds between two samples of the prod load when it is scaled (the demo's tick). */
    private static final double TICK_SECONDS = 5;

    /** Why this machine cannot run kubelet nodes (empty: it can); {@link KubeletSupport#unavailable()} in use. */
    private final Supplier<Optional<String>> kubeletSupport;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_NODES,
            description = "Simulated nodes (1..5000, default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--real-nodes",
            paramLabel = "N",
            defaultValue = "0",
            description = "Real kubelet nodes beside the simulated ones (0..4, default: ${DEFAULT-VALUE}); needs root, "
                    + "cgroup v1 and the local control plane (not with --kubeconfig).")
    int realNodes;

    @Option(
            names = "--baseline",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to run with prod only, the \"before\" (default: ${DEFAULT-VALUE}).")
    long baselineSeconds;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "3m",
            converter = DurationConverter.class,
            description = "How long to run with every tier, the \"after\" (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(
            names = "--traces",
            paramLabel = "DIR",
            defaultValue = "../shared/traces",
            description = "timestamp_s,cpu_pct,mem_pct traces for the nodes' prod load (default: ${DEFAULT-VALUE}, "
                    + "beside the repository). Without that directory: a built-in synthetic diurnal load (a daily "
                    + "cycle per node, noise, occasional spikes above 90 %%; from --seed).")
    Path traces;

    @Option(
            names = "--speedup",
            paramLabel = "X",
            defaultValue = "300",
            description = "Trace seconds per second, real or synthetic (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--prod-peak",
            paramLabel = "SHARE",
            defaultValue = "" + DemoSettings.DEFAULT_PROD_PEAK,
            description =
                    "Scale the prod load's cpu so the fleet's prod usage peaks at this share of the cores over the "
                            + "run, in (0, 1] (default: ${DEFAULT-VALUE}: prod requests ~80 %% of the cores and uses ~25 %% at "
                            + "its peaks, the seed's situation).")
    double prodPeak;

    @Option(
            names = "--replica-hosting",
            description = "Run replica hosting in-process: it sets the replicas of the mid, batch and free Deployments "
                    + "(annotated min R/4, max 2R) from their pools' room, instead of the churn.")
    boolean replicaHosting;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "qshard-demo-report",
            description = "Where the report and the chart go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--manifests",
            paramLabel = "DIR",
            defaultValue = "manifests",
            description =
                    "The repository's manifests/ (CRDs) (default: ${DEFAULT-VALUE}, run from the repository root).")
    Path manifests;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the workload's churn and of the synthetic load (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description =
                    "Run on this existing, disposable cluster (it needs a controller-manager) instead of a local control "
                            + "plane; its ShardMap of the batch tier is replaced, and the demo's nodes, workloads and reports are "
                            + "removed at the end.")
    Path kubeconfig;

    /** What {@code bin/qshard demo} runs (found by the ServiceLoader). */
    public DemoCommand() {
        this(KubeletSupport::unavailable);
    }

    /** @param kubeletSupport why this machine cannot run kubelet nodes, empty when it can (tests give their own) */
    DemoCommand(Supplier<Optional<String>> kubeletSupport) {
        this.kubeletSupport = kubeletSupport;
    }

    @Override
    public Integer call() throws Exception {
        DemoSettings settings;
        try {
            settings = new DemoSettings(
                    nodes,
                    realNodes,
                    Duration.ofSeconds(baselineSeconds),
                    Duration.ofSeconds(durationSeconds),
                    speedup,
                    Files.isDirectory(traces) ? traces : null,
                    out,
                    seed,
                    prodPeak,
                    replicaHosting);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Optional<String> refusal = realNodesRefusal(settings.realNodes(), kubeconfig != null, kubeletSupport);
        if (refusal.isPresent()) {
            throw new UserError(refusal.get());
        }
        if (!Files.isRegularFile(manifests.resolve("crds/nodeusage.yaml"))) {
            throw new UserError("no CRDs under " + manifests.toAbsolutePath()
                    + ": run from the repository root or pass --manifests DIR");
        }
        PrintStream o = System.out;
        if (System.getenv("QSHARD_LOG_LEVEL")
                == null) { // the progress lines are the demo's output; warnings still show
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.qshard"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        BackgroundLoad load;
        String label;
        if (settings.traces() != null) {
            try {
                var read = TraceDirectory.read(traces);
                load = new TraceLoad(read, speedup);
                label = read.size() + " real traces at " + (int) speedup + "x";
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        } else {
            o.printf(
                    "No traces at %s: the prod load is a synthetic diurnal one (pass --traces DIR for real ones).%n",
                    traces.toAbsolutePath().normalize());
            load = new SyntheticLoad(seed, speedup);
            label = "synthetic diurnal prod load at " + (int) speedup + "x";
        }
        // the run's length as the simulator sees it: the prod start-up (allow 30 s), the baseline and the "after"
        double horizon =
                30 + settings.baseline().toSeconds() + settings.duration().toSeconds();
        ScaledLoad scaled =
                ScaledLoad.toPeak(load, DemoFleet.names(settings.nodes()), horizon, TICK_SECONDS, settings.prodPeak());
        o.printf(
                Locale.ROOT,
                "Prod load scaled ×%.2f: fleet peak %.0f %% of the cores over the run (%.0f %% unscaled; --prod-peak)%n",
                scaled.factor(),
                100 * scaled.scaledPeak(),
                100 * scaled.peak());
        load = scaled;
        try (DemoCluster cluster =
                kubeconfig == null ? DemoCluster.local(o, true, realNodes) : DemoCluster.external(kubeconfig)) {
            DemoRun run = new DemoRun(settings, load, label, manifests, o);
            DemoReport report = run.run(cluster);
            o.print(report.text());
            run.realNodesReport().ifPresent(r -> o.print(r.text()));
            o.println("Tearing down"
                    + (cluster.isLocal() ? " the local control plane..." : ": removing the demo's objects..."));
        } catch (ControlPlaneException e) {
            throw new UserError(e.getMessage(), e); // the local control plane could not start: one line, exit 2
        }
        o.println("Done.");
        return 0;
    }

    /**
     * Why {@code --real-nodes} cannot be honoured, or empty: real nodes need the local control plane and a machine
     * that can run a kubelet. Pure apart from {@code unavailable}, which is only asked when nodes are wanted.
     */
    static Optional<String> realNodesRefusal(
            int realNodes, boolean externalCluster, Supplier<Optional<String>> unavailable) {
        if (realNodes == 0) {
            return Optional.empty();
        }
        if (externalCluster) {
            return Optional.of("--real-nodes needs the local control plane: it cannot add kubelet nodes to the cluster "
                    + "of --kubeconfig (drop one of the two)");
        }
        return unavailable
                .get()
                .map(reason -> "--real-nodes " + realNodes + ": this machine cannot run kubelet nodes: " + reason);
    }
}
