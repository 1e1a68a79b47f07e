package io.qshard.cli;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.controllers.replicas.ReplicaController;
import io.qshard.controllers.replicas.ReplicaSettings;
import io.qshard.controllers.replicas.WorkloadKind;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.kube.client.ApiClients;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qshard replicas run}: replica hosting, until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Scale the workloads that opt in (annotation qshard.io/replica-hosting=true, with qshard.io/replicas-min "
                    + "and qshard.io/replicas-max) whose pods belong to a borrowing tier (mid, batch, free), through "
                    + "their scale subresource: down, lowest priority first, when the tier's pool (predicted, as the "
                    + "schedulers see it) cannot hold what they use; up toward max, most important first, while the "
                    + "room stays above the --hysteresis band for --up-window. A workload an HPA targets is left "
                    + "alone; a manual change of replicas becomes the new request, held for --manual-hold. Every "
                    + "change is an Event on the workload with the figures behind it.",
            "One replica acts at a time (Lease qshard-replicas). `qshard replicas status` prints what it would do. "
                    + "SIGTERM stops it (exit 0); a loop that dies stops it with exit 70 (see --exit-on-fatal)."
        })
public final class ReplicasRunCommand implements Callable<Integer> {
    @Mixin
    Law law;

    @Option(
            names = "--period",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often the replicas are reconsidered, ≥ 1s (default: ${DEFAULT-VALUE}).")
    long periodSeconds;

    @Option(
            names = "--warm-up",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "No change this long after start, while predictors and reports warm up (default: "
                    + "${DEFAULT-VALUE}).")
    long warmUpSeconds;

    @Option(names = "--dry-run", description = "Plan, log and count every cycle; write nothing (no scale, no Event).")
    boolean dryRun;

    @Mixin
    ElectionOptions election;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (tiers, pools, predictions). Default: built in.")
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
            defaultValue = "9407",
            description = "Serve /metrics (changes by direction and result, manual changes, pools, hosted replicas, "
                    + "leadership), /healthz and /readyz (synced, acting, not frozen, HPAs listable) on this port; "
                    + "0: any free port, named in the log (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin
    ExitOnFatalOption fatal;

    /**
     * The flags of the control law, shared by {@code run} and {@code status} (which must judge with the values the
     * controller runs with). A picocli mixin.
     */
    static final class Law {
        @Option(
                names = "--min-interval",
                paramLabel = "DURATION",
                defaultValue = "60s",
                converter = DurationConverter.class,
                description = "Least time between two changes of one workload (default: ${DEFAULT-VALUE}).")
        long minIntervalSeconds;

        @Option(
                names = "--up-window",
                paramLabel = "DURATION",
                defaultValue = "3m",
                converter = DurationConverter.class,
                description = "A scale-up takes the least recommendation over this window, which must have passed "
                        + "(default: ${DEFAULT-VALUE}).")
        long upWindowSeconds;

        @Option(
                names = "--hysteresis",
                paramLabel = "SHARE",
                defaultValue = "0.02",
                description = "A scale-up must leave the tier's net pool at least this share of the usable nodes' "
                        + "allocatable, [0, 0.5] (default: ${DEFAULT-VALUE}).")
        double hysteresis;

        @Option(
                names = "--max-step",
                paramLabel = "PODS",
                defaultValue = "4",
                description = "A change moves at most max(this, --max-step-percent of the replicas) (default: "
                        + "${DEFAULT-VALUE}).")
        int maxStepPods;

        @Option(
                names = "--max-step-percent",
                paramLabel = "PERCENT",
                defaultValue = "50",
                description = "See --max-step, [1, 1000] (default: ${DEFAULT-VALUE}).")
        int maxStepPercent;

        @Option(
                names = "--max-replicas-per-minute",
                paramLabel = "N",
                defaultValue = "100",
                description = "Cluster-wide: Σ |change| over all workloads per sliding minute (default: "
                        + "${DEFAULT-VALUE}).")
        int maxReplicasPerMinute;

        @Option(
                names = "--manual-hold",
                paramLabel = "DURATION",
                defaultValue = "10m",
                converter = DurationConverter.class,
                description = "How long a manual change of replicas is left alone (default: ${DEFAULT-VALUE}).")
        long manualHoldSeconds;

        @Option(
                names = "--max-replicas-cap",
                paramLabel = "N",
                defaultValue = "1000",
                description = "The largest qshard.io/replicas-max accepted (default: ${DEFAULT-VALUE}).")
        int maxReplicasCap;

        @Option(
                names = "--kinds",
                paramLabel = "GROUP/VERSION/PLURAL",
                split = ",",
                defaultValue = "apps/v1/deployments,apps/v1/statefulsets,apps/v1/replicasets",
                description = "The workload kinds watched, each with a scale subresource (VERSION/PLURAL for the core "
                        + "group); a kind beyond the default needs list/watch/patch on it and update on its /scale "
                        + "(default: ${DEFAULT-VALUE}).")
        List<String> kinds;

        /** @throws UserError naming the flag of the first bad value */
        HostingSettings settings() {
            try {
                return new HostingSettings(
                        Duration.ofSeconds(minIntervalSeconds),
                        Duration.ofSeconds(upWindowSeconds),
                        hysteresis,
                        maxStepPods,
                        maxStepPercent,
                        maxReplicasPerMinute,
                        Duration.ofSeconds(manualHoldSeconds),
                        maxReplicasCap,
                        HostingSettings.DEFAULT_FRESH_SHARE);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
        }

        /** {@code --kinds} checked for form (before any connection): each as {group, version, plural}. */
        List<String[]> kindNames() {
            List<String[]> out = new ArrayList<>();
            for (String k : kinds) {
                String[] f = k.trim().split("/", -1);
                String[] gvp = f.length == 3 ? f : f.length == 2 ? new String[] {"", f[0], f[1]} : null;
                if (gvp == null || gvp[1].isEmpty() || gvp[2].isEmpty() || (f.length == 3 && gvp[0].isEmpty())) {
                    throw new UserError("--kinds: '" + k + "' is not GROUP/VERSION/PLURAL (VERSION/PLURAL for the core "
                            + "group), e.g. apps/v1/deployments");
                }
                out.add(gvp);
            }
            return out;
        }

        /**
         * The kinds, each resolved by discovery (its kind name, and that it has a scale subresource); the built-in
         * apps/v1 kinds without a request.
         *
         * @throws UserError naming {@code --kinds} when the apiserver does not serve one or it cannot be scaled
         */
        List<WorkloadKind> resolve(KubernetesClient client) {
            List<WorkloadKind> out = new ArrayList<>();
            for (String[] gvp : kindNames()) {
                Optional<WorkloadKind> known = WorkloadKind.DEFAULTS.stream()
                        .filter(w -> w.group().equals(gvp[0])
                                && w.version().equals(gvp[1])
                                && w.plural().equals(gvp[2]))
                        .findFirst();
                out.add(known.orElseGet(() -> discover(client, gvp)));
            }
            return out;
        }

        private static WorkloadKind discover(KubernetesClient client, String[] gvp) {
            String groupVersion = gvp[0].isEmpty() ? gvp[1] : gvp[0] + "/" + gvp[1];
            APIResourceList list;
            try {
                list = client.getApiResources(groupVersion);
            } catch (KubernetesClientException e) {
                throw new UserError(
                        "--kinds: cannot read the apiserver's resources of " + groupVersion + ": " + e.getMessage(), e);
            }
            String name = groupVersion + "/" + gvp[2];
            if (list == null) {
                throw new UserError("--kinds: the apiserver does not serve " + groupVersion + " (" + name + ")");
            }
            String kind = null;
            boolean scale = false;
            for (APIResource r : list.getResources()) {
                if (r.getName().equals(gvp[2])) {
                    kind = r.getKind();
                } else if (r.getName().equals(gvp[2] + "/scale")) {
                    scale = true;
                }
            }
            if (kind == null) {
                throw new UserError("--kinds: the apiserver serves no " + name);
            }
            if (!scale) {
                throw new UserError("--kinds: " + name + " has no scale subresource");
            }
            return new WorkloadKind(gvp[0], gvp[1], gvp[2], kind);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new UserError("--metrics-port must be in 0..65535, was " + metricsPort);
        }
        HostingSettings hosting = law.settings();
        law.kindNames();
        settings(hosting, WorkloadKind.DEFAULTS); // every other flag checked before any connection
        QshardConfig cfg = RunCommand.loadConfig(config);
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ReplicaSettings settings;
        try (KubernetesClient probe = ApiserverConnection.open(resolved, "qshard-replicas")) {
            settings = settings(hosting, law.resolve(probe));
        }
        PrometheusMetrics metrics = new PrometheusMetrics();
        HealthChecks health = new HealthChecks();
        int exit = 0;
        try (ReplicaController controller = new ReplicaController(
                        ApiClients.create(resolved.config(), "qshard-replicas"),
                        cfg,
                        settings,
                        Clock.systemUTC(),
                        metrics);
                MetricsHttpServer http = new MetricsHttpServer(
                        new InetSocketAddress(metricsPort), metrics, controller::notReadyReason, health, false)) {
            controller.start(Duration.ofSeconds(syncTimeoutSeconds));
            health.add("replicas", controller.heartbeat(), controller.heartbeatMaxAge());
            Optional<String> died = StopSignals.await(fatal.watched(health));
            if (died.isPresent()) {
                // the controller is closed on the way out, under the exit watchdog
                exit = FatalExit.stop("qshard replicas run", died.get(), Duration.ofSeconds(15), () -> {});
            }
        } catch (RuntimeException e) {
            if (exit == 0) {
                throw e;
            }
            // closing after a fatal failure failed too: the exit status must still say "restart me"
            System.err.println("qshard replicas run: closing after the fatal failure failed: " + e);
        }
        return exit;
    }

    private ReplicaSettings settings(HostingSettings hosting, List<WorkloadKind> kinds) {
        try {
            return new ReplicaSettings(
                    hosting,
                    Duration.ofSeconds(periodSeconds),
                    Duration.ofSeconds(warmUpSeconds),
                    dryRun,
                    election.leaseNamespaceOrNull(),
                    election.identityOrHostname(),
                    kinds);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
