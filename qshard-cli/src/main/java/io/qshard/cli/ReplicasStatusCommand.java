package io.qshard.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.replicas.ReplicaController;
import io.qshard.controllers.replicas.ReplicaSettings;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.kube.client.ApiClients;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.client.KubeconfigResolver;
import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard replicas status}: each hosted workload, its request, its replicas and what hosting would do, and why. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run replica hosting's plan in dry-run (no election, no write, no Event) while watching the usage reports "
                    + "for --observe, then print each tier's net pool and, per workload that opts in: min, max, "
                    + "request, current, bound and pending replicas, the replicas the pool calls for (DESIRED), what "
                    + "the controller would write now (NEXT) and why — or why it is left alone (HPA, invalid "
                    + "annotations, manual hold).",
            "Pass the law flags the controller runs with. Scale-ups are judged over what was observed: an "
                    + "--up-window longer than the observation's plans span (--observe − 10s, in whole 5s periods) is shortened to that."
        })
public final class ReplicasStatusCommand implements Callable<Integer> {
    /** How often the plan runs while observing. */
    static final Duration PERIOD = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-n", "--namespace"},
            paramLabel = "NS",
            description = "Only the workloads of this namespace (default: all).")
    String namespace;

    @Option(
            names = "--observe",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to watch reports and plan first, ≥ 15s (default: 3 × pools.reportInterval + 5s).")
    Long observeSeconds;

    @Option(names = "--config", paramLabel = "FILE", description = "qshard.yaml. Default: built in.")
    Path config;

    @Mixin
    ReplicasRunCommand.Law law;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() throws Exception {
        HostingSettings given = law.settings();
        law.kindNames();
        QshardConfig cfg = RunCommand.loadConfig(config);
        long observe = observeSeconds != null
                ? observeSeconds
                : 3 * cfg.pools().reportInterval().toSeconds() + 5;
        if (observe < 3 * PERIOD.toSeconds()) {
            throw new UserError("--observe must be at least " + 3 * PERIOD.toSeconds() + "s, was " + observe + "s");
        }
        // the first plan runs a period after start, the last may miss the end: the window the observation spans
        Duration observed = PERIOD.multipliedBy(observe / PERIOD.toSeconds() - 2);
        Duration upWindow = given.upWindow().compareTo(observed) > 0 ? observed : given.upWindow();
        HostingSettings hosting = new HostingSettings(
                given.minInterval(),
                upWindow,
                given.hysteresis(),
                given.maxStepPods(),
                given.maxStepPercent(),
                given.maxReplicasPerMinute(),
                given.manualHold(),
                given.maxReplicasCap(),
                given.freshShare());
        KubeconfigResolver.Resolved resolved = cluster.resolve();
        ReplicaSettings settings;
        try (KubernetesClient probe = ApiserverConnection.open(resolved, "qshard-replicas-status")) {
            // the observation is the warm-up; no Lease: a dry run never writes, so it needs no leadership
            settings = new ReplicaSettings(hosting, PERIOD, Duration.ZERO, true, null, "status", law.resolve(probe));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ReplicaController controller = new ReplicaController(
                ApiClients.create(resolved.config(), "qshard-replicas-status"),
                cfg,
                settings,
                Clock.systemUTC(),
                io.qshard.kube.metrics.Metrics.NOOP)) {
            controller.start(Duration.ofSeconds(60));
            out.printf("watching usage reports and planning for %d s …%n", observe);
            out.flush();
            Thread.sleep(observe * 1000); // the plan needs that many reports; nothing else to wait for
            List<ReplicaDecision> decisions = controller.lastDecisions().stream()
                    .filter(d -> namespace == null || namespace.equals(d.key().namespace()))
                    .toList();
            for (String line : ReplicaStatusTable.lines(
                    cfg.tiers(), controller.lastPools(), decisions, controller.frozenReason())) {
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }
}
