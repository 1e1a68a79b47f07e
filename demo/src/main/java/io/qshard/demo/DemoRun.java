package io.qshard.demo;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.controllers.migrate.MigrationController;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
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

/**
 * The demo, start to end, on a cluster: nodes played by the simulator (real traces as the prod load, the node
 * agent's isolation), the four tier schedulers in this process (batch with 2 shards), the migration loop, prod
 * Deployments first (the "before": allocation ~75 %, real usage what the traces say), then mid, batch and free
 * (the "after"), a progress line every 5 s, and at the end the report and the chart. With real kubelet nodes in the
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
                "Starting the simulator (%s), the schedulers (prod, mid, batch ×2 shards, free) and the migration loop...%n",
                loadLabel);
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
                    MetricsHttpServer http = new MetricsHttpServer(
                            new InetSocketAddress("127.0.0.1", 0), metrics, schedulers::notReadyReason)) {
                migration.start(Duration.ofSeconds(60));
                out.printf(
                        "  metrics (schedulers and migration) while it runs: curl http://127.0.0.1:%d/metrics%n",
                        http.port());
                return phases(admin, schedulers, migration);
            } finally {
                schedulers.stop(Duration.ofSeconds(5));
            }
        }
    }

    private DemoReport phases(KubernetesClient admin, SchedulerProcess schedulers, MigrationController migration)
            throws Exception {
        DemoProgress progress = new DemoProgress(schedulers, migration, new UsageSampler(admin), settings.nodes(), out);
        int real = realNodes.size();
        DemoWorkload workload = new DemoWorkload(admin, DemoFleet.cores(settings.nodes()), settings.seed(), real > 0);
        int prod = workload.submitProd();
        out.printf(
                "%nSubmitted %d prod pods (Deployments, Guaranteed, ~75 %% of the cores requested). Waiting for them to be bound...%n",
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
        int borrowers = workload.submitBorrowers();
        out.printf(
                "%nAfter: submitted %d mid, batch and free pods; running %d s with churn (Deployments rescaled every 30 s)%n",
                borrowers, settings.duration().toSeconds());
        if (real > 0) {
            out.printf(
                    "  and %d mid, batch and free pods of %dm pinned to the real node(s), a little more than fits%n",
                    workload.submitRealNodeBorrowers(real), DemoWorkload.REAL_POD_MILLI);
        }
        progress.runFor(AFTER, settings.duration(), workload);
        Path out = settings.out();
        Files.createDirectories(out);
        Path chart = SvgChart.write(
                out.resolve("cpu.svg"),
                progress.sampler().samples(),
                switchAt,
                settings.nodes(),
                "qshard demo: cluster cpu usage, " + settings.nodes() + " nodes (" + loadLabel + ")");
        DemoReport report = DemoReport.build(admin, schedulers, migration, progress, prod, prodBurst, chart, settings);
        if (real > 0) {
            realNodesReport = realNodesReport(admin, report.file());
        }
        return report;
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

    private static KubernetesClient client(DemoCluster cluster, String agent) {
        return io.qshard.kube.client.ApiClients.create(cluster.config(), agent);
    }
}
