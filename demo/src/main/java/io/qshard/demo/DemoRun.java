package io.qshard.demo;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.controllers.replicas.ReplicaController;
import io.qshard.controllers.replicas.ReplicaSettings;
import io.qshard.controllers.replicas.WorkloadKind;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.replicas.HostingSettings;
import io.qshard.kube.api.Crds;
import io.qshard.kube.metrics.MetricsHttpServer;
import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.KubeletNodes;
import io.qshard.localcluster.fixtures.KubeletPods;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo, start to end, on a cluster: nodes played by the simulator (real traces as the prod load, the node
 * agent's isolation), the four tier schedulers in this process (batch with 2 shards), the migration loop (and, with
 * {@link DemoSettings#replicaHosting()}, replica hosting at demo speed, {@link #hostingSettings}), prod Deployments
 * first (the "before": allocation ~80 %, real usage what the scaled traces say), then mid, batch and free (the
 * "after"), a progress line every 5 s, and at the end the report and the chart. With real kubelet nodes in the
 * cluster, a node agent runs on each (the simulator plays only the nodes labelled {@link DemoCluster#DEMO_LABEL}), a
 * small Deployment per tier is pinned to them, and a {@link RealNodesReport} says what their kubelets admitted.
 * Everything it starts is stopped before it returns. Runs on the calling thread; not thread-safe.
 */
public final class DemoRun {
    static final String BEFORE = "prod only";
    static final String AFTER = "all tiers";
    private static final Duration TICK = Duration.ofSeconds(5);
    /** How long the end waits for the kubelets to start or refuse every pod bound to a real node. */
    private static final Duration VERDICTS = Duration.ofSeconds(60);
    /** How long the start waits for an earlier demo's namespace to be deleted. */
    private static final Duration NAMESPACE_GONE = Duration.ofSeconds(120);

    private final DemoSettings settings;
    private final BackgroundLoad load;
    private final String loadLabel;
    private final Path manifests;
    private final PrintStream out;
    private List<KubeletNode> realNodes = List.of();
    private RealNodesReport realNodesReport;

    public DemoRun(DemoSettings settings, BackgroundLoad load, String loadLabel, Path manifests, PrintStream out) {
        this.settings = settings;
        this.load = load;
        this.loadLabel = loadLabel;
        this.manifests = manifests;
        this.out = out;
    }

    /** @return the report */
    public DemoReport run(DemoCluster cluster) throws Exception {
        KubernetesClient admin = cluster.client();
        realNodes = cluster.realNodes();
        Clock clock = Clock.systemUTC();
        awaitNamespaceGoneIfTerminating(admin);
        Crds.install(admin, manifests.resolve("crds/nodeusage.yaml"), Duration.ofSeconds(60));
        Crds.install(admin, manifests.resolve("crds/shardmap.yaml"), Duration.ofSeconds(60));
        // batch runs with 2 shards here: a map left by an earlier run (other nodes, other count) would strand nodes
        admin.resources(io.qshard.kube.api.ShardMap.class).withName("batch").delete();
        out.printf(
                "Registering %d nodes (8, 16 and 32 cores; API objects played by the simulator)...%n",
                settings.nodes());
        DemoFleet.register(admin, settings.nodes());
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(DemoWorkload.NAMESPACE)
                        .endMetadata()
                        .build())
                .serverSideApply();
        QshardConfig cfg = QshardConfig.defaults().withShards("batch", 2);
        SimulationSettings sim = SimulationSettings.of(load)
                .withNodeLabels(Map.of(DemoCluster.DEMO_LABEL, "true"))
                .withUtilisation(new PodUtilisation(0.5, 1.0, settings.seed()))
                .withInterval(TICK)
                .withWriters(8)
                .withIsolation(true);
        out.printf(
                "Starting the simulator (%s), the schedulers (prod, mid, batch ×2 shards, free)%s...%n",
                loadLabel,
                settings.replicaHosting() ? ", the migration loop and replica hosting" : " and the migration loop");
        if (!realNodes.isEmpty()) {
            out.printf(
                    "Starting a node agent on each real node (reports and the batch pool every %d s, no evictions)...%n",
                    TICK.toSeconds());
        }
        try (SimulatorProcess simulator = SimulatorProcess.start(
                        client(cluster, "qshard-demo-simulator"), cfg, sim, Duration.ofSeconds(60), clock);
                RealNodeAgents agents = realNodes.isEmpty()
                        ? null
                        : RealNodeAgents.start(realNodes, cluster.config(), cfg, TICK, clock)) {
            PrometheusMetrics metrics =
                    new PrometheusMetrics(); // the schedulers' and the migration loop's, on one port
            SchedulerProcess schedulers = SchedulerProcess.startInstances(
                    client(cluster, "qshard-demo-scheduler"),
                    cfg,
                    ShippedPlugins.registry(),
                    SchedulerProcess.allShards(cfg.tiers()),
                    SchedulerSettings.defaults(),
                    Duration.ofSeconds(60),
                    clock,
                    metrics);
            try (MigrationController migration = new MigrationController(
                            client(cluster, "qshard-demo-migrate"), cfg, false, null, "demo", clock, metrics);
                    KubernetesClient hostingClient =
                            settings.replicaHosting() ? client(cluster, "qshard-demo-replicas") : null;
                    ReplicaController hosting = hostingClient == null
                            ? null
                            : new ReplicaController(hostingClient, cfg, hostingSettings(), clock, metrics);
                    MetricsHttpServer http = new MetricsHttpServer(
                            new InetSocketAddress("127.0.0.1", 0), metrics, schedulers::notReadyReason)) {
                migration.start(Duration.ofSeconds(60));
                if (hosting != null) {
                    hosting.start(Duration.ofSeconds(60));
                }
                out.printf(
                        "  metrics (schedulers, migration%s) while it runs: curl http://127.0.0.1:%d/metrics%n",
                        hosting == null ? "" : ", replica hosting", http.port());
                return phases(admin, schedulers, migration, hosting);
            } finally {
                schedulers.stop(Duration.ofSeconds(5));
            }
        }
    }

    private DemoReport phases(
            KubernetesClient admin,
            SchedulerProcess schedulers,
            MigrationController migration,
            ReplicaController hosting)
            throws Exception {
        HostingTally tally = hosting == null ? null : new HostingTally();
        DemoProgress progress =
                new DemoProgress(schedulers, migration, tally, admin, new UsageSampler(admin), settings.nodes(), out);
        int real = realNodes.size();
        DemoWorkload workload = new DemoWorkload(admin, DemoFleet.cores(settings.nodes()), settings.seed(), real > 0);
        int prod = workload.submitProd();
        out.printf(
                "%nSubmitted %d prod pods (Deployments, Guaranteed, ~80 %% of the cores requested). Waiting for them to be bound...%n",
                prod);
        if (real > 0) {
            int pinned = workload.submitRealNodeProd(real);
            out.printf(
                    "  and %d prod pods of %dm pinned to the %d real kubelet node(s)%n",
                    pinned, DemoWorkload.REAL_POD_MILLI, real);
            prod += pinned;
        }
        long t0 = System.nanoTime();
        long burstEnd = t0 + Duration.ofSeconds(120).toNanos();
        while (progress.bound("prod") < prod && System.nanoTime() < burstEnd) {
            progress.tick("starting");
        }
        double prodBurst = (System.nanoTime() - t0) / 1e9;
        out.printf(
                "%nBefore: prod only, for %d s (allocation high, real usage low — what qshard is for)%n",
                settings.baseline().toSeconds());
        progress.runFor(BEFORE, settings.baseline(), null);
        double switchAt = progress.elapsed();
        int borrowers = workload.submitBorrowers(hosting != null);
        if (tally != null) {
            tally.record(workload.hostedRequests()); // before the controller's first change of them
        }
        out.printf(
                "%nAfter: submitted %d mid, batch and free pods; running %d s %s%n",
                borrowers,
                settings.duration().toSeconds(),
                hosting == null
                        ? "with churn (batch and free Deployments rescaled every 30 s)"
                        : "with replica hosting (mid, batch and free Deployments: min R/4, max 2R)\n"
                                + "  churn: off — replica hosting sets the mid, batch and free replicas");
        if (real > 0) {
            out.printf(
                    "  and %d mid, batch and free pods of %dm pinned to the real node(s), a little more than fits%n",
                    workload.submitRealNodeBorrowers(real), DemoWorkload.REAL_POD_MILLI);
        }
        progress.runFor(AFTER, settings.duration(), hosting == null ? workload : null);
        if (tally != null) {
            tally.observe(admin);
        }
        Path out = settings.out();
        Files.createDirectories(out);
        Path chart = SvgChart.write(
                out.resolve("cpu.svg"),
                progress.sampler().samples(),
                switchAt,
                settings.nodes(),
                "qshard demo: cluster cpu usage, " + settings.nodes() + " nodes (" + loadLabel + ")");
        DemoReport report = DemoReport.build(
                admin, schedulers, migration, hosting, tally, progress, prod, prodBurst, chart, settings);
        if (real > 0) {
            realNodesReport = realNodesReport(admin, report.file());
        }
        return report;
    }

    /**
     * Replica hosting at the demo's 300× time scale: a cycle every 5 s, at most one change per workload every 10 s, a
     * scale-up only after 20 s of sustained room, no decision in the first 10 s, 600 replicas a minute cluster-wide;
     * the rest (hysteresis, step, manual hold, cap, fresh share) as {@code qshard replicas run}'s defaults. No
     * election (one replica, in this process), no dry run, every default kind.
     */
    static ReplicaSettings hostingSettings() {
        HostingSettings d = HostingSettings.defaults();
        HostingSettings law = new HostingSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                d.hysteresis(),
                d.maxStepPods(),
                d.maxStepPercent(),
                600,
                d.manualHold(),
                d.maxReplicasCap(),
                d.freshShare());
        return new ReplicaSettings(
                law, Duration.ofSeconds(5), Duration.ofSeconds(10), false, null, "demo", WorkloadKind.DEFAULTS);
    }

    /** What the real nodes' kubelets made of the demo, once {@link #run} returned; empty without real nodes. */
    public Optional<RealNodesReport> realNodesReport() {
        return Optional.ofNullable(realNodesReport);
    }

    /**
     * Waits (at most {@link #VERDICTS}) until the kubelets started or refused every pod bound to a real node, then
     * builds the report and writes it to {@code real-nodes.txt} and at the end of {@code report}.
     */
    private RealNodesReport realNodesReport(KubernetesClient admin, Path report) throws Exception {
        long deadline = System.nanoTime() + VERDICTS.toNanos();
        boolean said = false;
        while (!undecided(admin).isEmpty() && System.nanoTime() < deadline) {
            if (!said) {
                out.printf(
                        "Waiting (at most %d s) for the kubelets to start or refuse the pods bound to them...%n",
                        VERDICTS.toSeconds());
                said = true;
            }
            Thread.sleep(2000); // polling pod status, which the kubelets write; bounded by the deadline
        }
        List<Node> nodes =
                admin.nodes().withLabel(KubeletNodes.NODE_LABEL, "true").list().getItems();
        RealNodesReport r = RealNodesReport.of(
                admin.pods().inNamespace(DemoWorkload.NAMESPACE).list().getItems(), nodes);
        Files.writeString(settings.out().resolve("real-nodes.txt"), r.text());
        Files.writeString(report, r.text(), StandardOpenOption.APPEND);
        return r;
    }

    /** The demo's pods bound to a real node that are neither running nor refused. */
    private List<Pod> undecided(KubernetesClient admin) {
        List<String> names = realNodes.stream().map(KubeletNode::name).toList();
        return admin.pods().inNamespace(DemoWorkload.NAMESPACE).list().getItems().stream()
                .filter(p -> names.contains(p.getSpec().getNodeName()))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> !KubeletPods.running(p)
                        && KubeletPods.admissionFailure(p).isEmpty())
                .toList();
    }

    /**
     * An earlier demo on this cluster deletes its namespace at the end, and the namespace controller takes a while to
     * empty it: until it is gone, nothing can be created in it. Waits (at most {@link #NAMESPACE_GONE}) for that.
     *
     * @throws io.qshard.kube.process.UserError when it is still being deleted after that
     */
    private void awaitNamespaceGoneIfTerminating(KubernetesClient admin) {
        var ns = admin.namespaces().withName(DemoWorkload.NAMESPACE);
        var now = ns.get();
        if (now == null || now.getMetadata().getDeletionTimestamp() == null) {
            return;
        }
        out.printf("Namespace %s is being deleted (an earlier demo's): waiting for it...%n", DemoWorkload.NAMESPACE);
        try {
            ns.waitUntilCondition(n -> n == null, NAMESPACE_GONE.toSeconds(), TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            throw new io.qshard.kube.process.UserError("namespace " + DemoWorkload.NAMESPACE
                    + " is still being deleted after " + NAMESPACE_GONE.toSeconds()
                    + " s (an earlier demo's); try again when `kubectl get ns " + DemoWorkload.NAMESPACE
                    + "` finds none");
        }
    }

    private static KubernetesClient client(DemoCluster cluster, String agent) {
        return io.qshard.kube.client.ApiClients.create(cluster.config(), agent);
    }
}
