package io.qshard.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.ConfigException;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.plugins.ShippedPlugins;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qshard-agent}: the node agent, one per node (a DaemonSet), until SIGTERM. */
@Command(
        name = "qshard-agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "qshard-agent 0.1.0-SNAPSHOT",
        description = {
            "The single-node engine: reads pod usage from the kubepods cgroups, writes the node's NodeUsage, "
                    + "advertises its batch pool as qshard.io/batch-cpu / qshard.io/batch-memory, and enforces isolation: "
                    + "the burstable quota falls as protected (Guaranteed + system) usage rises, besteffort pods get the box "
                    + "left under peakCap with the lowest cpu weight, and are evicted when that box stays under one core or "
                    + "memory runs short.",
            "SIGTERM lifts the isolation (cgroup settings restored) and exits 0; a loop that dies does the same and exits "
                    + "70 (see --exit-on-fatal)."
        })
public final class AgentMain implements Callable<Integer> {
    static {
        // before the first logger: the agent's own logging config (INFO for io.qshard, to stderr), unless one is given
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/qshard/agent/logback-agent.xml");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    @Option(
            names = "--node-name",
            paramLabel = "NAME",
            defaultValue = "${env:NODE_NAME}",
            description = "This node's name (default: $NODE_NAME, set from spec.nodeName by the DaemonSet).")
    String nodeName;

    @Option(
            names = "--cgroup-root",
            paramLabel = "DIR",
            defaultValue = "/sys/fs/cgroup",
            description = "cgroup mount root (default: ${DEFAULT-VALUE}).")
    Path cgroupRoot;

    @Option(
            names = "--cgroup-parent",
            paramLabel = "PATH",
            defaultValue = "",
            description = "Path below the root that holds kubepods (default: none; tests use a private subtree).")
    String cgroupParent;

    @Option(
            names = "--cgroup-version",
            paramLabel = "1|2|auto",
            defaultValue = "auto",
            description =
                    "cgroup version (default: ${DEFAULT-VALUE}: v1 when cpu/ and cpuacct/ are mounted at the root).")
    String cgroupVersion;

    @Option(
            names = "--cgroup-driver",
            paramLabel = "cgroupfs|systemd",
            defaultValue = "cgroupfs",
            description = "The kubelet's cgroup driver, i.e. how pod cgroups are named (default: ${DEFAULT-VALUE}).")
    String driver;

    @Option(
            names = "--proc-root",
            paramLabel = "DIR",
            defaultValue = "/proc",
            description = "proc root (default: ${DEFAULT-VALUE}).")
    Path procRoot;

    @Option(
            names = "--node-usage-from",
            paramLabel = "proc|kubepods",
            defaultValue = "proc",
            description = "Whole-node usage from /proc (everything on the node) or the kubepods cgroup (pods only) "
                    + "(default: ${DEFAULT-VALUE}).")
    String nodeSource;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "NodeUsage report interval (default: ${DEFAULT-VALUE}).")
    long intervalSeconds;

    @Option(
            names = "--sample-interval-ms",
            paramLabel = "MS",
            defaultValue = "1000",
            description =
                    "How often cgroups are read and isolation re-applied, milliseconds (default: ${DEFAULT-VALUE}).")
    long sampleMillis;

    @Option(
            names = "--fast-path-change",
            paramLabel = "FRACTION",
            defaultValue = "0.10",
            description =
                    "Report at once when node cpu moved by more than this fraction of allocatable (default: ${DEFAULT-VALUE}).")
    double fastPathChange;

    @Option(
            names = "--evict-below",
            paramLabel = "MILLICORES",
            defaultValue = "1000",
            description = "The besteffort box is too small below this (default: ${DEFAULT-VALUE}, one core).")
    long evictBelow;

    @Option(
            names = "--evict-grace",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "How long the box may stay too small before every besteffort pod is evicted (default: ${DEFAULT-VALUE}).")
    long evictGraceSeconds;

    @Option(
            names = "--memory-threshold",
            paramLabel = "FRACTION",
            defaultValue = "0.95",
            description =
                    "Evict besteffort pods when node memory usage passes this fraction of allocatable (default: ${DEFAULT-VALUE}).")
    double memoryThreshold;

    @Option(
            names = "--dry-run",
            description = "Report usage and log what would be done; write no cgroup, advertise nothing, evict nothing.")
    boolean dryRun;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9403",
            description =
                    "Port of /metrics and /healthz; 0: any free port, named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (tiers and pools, as the schedulers use). Default: built in.")
    Path config;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description =
                    "Cluster to use; default as kubectl: KUBECONFIG, ~/.kube/config, then the in-cluster service account.")
    Path kubeconfig;

    @CommandLine.Mixin
    ExitOnFatalOption fatal;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new AgentMain());
        cl.setExecutionExceptionHandler((e, commandLine, parse) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println("error: " + e.getMessage());
                return UserError.EXIT_CODE;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        AgentSettings settings = settings();
        KubeconfigResolver.Resolved resolved = KubeconfigResolver.resolve(kubeconfig);
        ApiserverConnection.open(resolved, "qshard-agent").close();
        KubernetesClient client =
                io.qshard.kube.client.ApiClients.create(resolved.config(), "qshard-agent/" + settings.nodeName());
        PrometheusMetrics exported = new PrometheusMetrics();
        NodeAgent agent = new NodeAgent(settings, client, Clock.systemUTC(), exported);
        HealthChecks health = new HealthChecks(); // the loop, once started
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        MetricsHttpServer metrics = null;
        try {
            // /metrics, /healthz (the loop's heartbeat), /readyz (ready once started); up before the informers sync,
            // so the liveness probe finds it answering while the agent starts
            metrics = new MetricsHttpServer(
                    new java.net.InetSocketAddress(metricsPort),
                    exported,
                    () -> started.get() ? java.util.Optional.empty() : java.util.Optional.of("starting"),
                    health,
                    false);
            agent.start(Duration.ofSeconds(60));
            health.add("agent", agent.heartbeat(), NodeAgent.HEARTBEAT_MAX_AGE);
            started.set(true);
            java.util.Optional<String> died = StopSignals.await(fatal.watched(health));
            if (died.isPresent()) {
                // the isolation is lifted on the way out, under the exit watchdog
                return FatalExit.stop("qshard-agent", died.get(), Duration.ofSeconds(15), () -> {});
            }
            LOG.info("stopping: lifting isolation");
        } finally {
            if (metrics != null) {
                metrics.close();
            }
            agent.close();
            client.close();
        }
        return 0;
    }

    /** The flags, validated (a {@link UserError} names the flag). */
    AgentSettings settings() {
        try {
            QshardConfig cfg = config == null
                    ? QshardConfig.defaults()
                    : new QshardConfigLoader(ShippedPlugins.registry()).load(config);
            CgroupDriver d = switch (driver) {
                case "cgroupfs" -> CgroupDriver.CGROUPFS;
                case "systemd" -> CgroupDriver.SYSTEMD;
                default ->
                    throw new IllegalArgumentException(
                            "--cgroup-driver must be cgroupfs or systemd, was '" + driver + "'");
            };
            UsageSampler.NodeSource source = switch (nodeSource) {
                case "proc" -> UsageSampler.NodeSource.PROC;
                case "kubepods" -> UsageSampler.NodeSource.KUBEPODS;
                default ->
                    throw new IllegalArgumentException(
                            "--node-usage-from must be proc or kubepods, was '" + nodeSource + "'");
            };
            return new AgentSettings(
                    nodeName == null ? "" : nodeName,
                    cgroupRoot,
                    cgroupParent,
                    cgroupVersion,
                    d,
                    procRoot,
                    source,
                    Duration.ofSeconds(intervalSeconds),
                    Duration.ofMillis(sampleMillis),
                    fastPathChange,
                    evictBelow,
                    Duration.ofSeconds(evictGraceSeconds),
                    memoryThreshold,
                    dryRun,
                    metricsPort,
                    cfg);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
