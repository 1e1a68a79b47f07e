package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.predict.backtest.Trace;
import io.qshard.predict.backtest.TraceCsv;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
import io.qshard.simulator.PodUtilisation;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.SimulatorProcess;
import io.qshard.simulator.TraceLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The utilisation scenario of the usage view: N nodes whose prod pods request 80 % of the cpu while their real load
 * replays real traces (the simulator, sped up), the four tier schedulers of one process, and a standing backlog of
 * batch and free pods filling what prod does not use. Every few seconds it reads every node's NodeUsage and reports
 * the mean cpu usage and the share of node-samples above 90 %.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.e2e.UtilisationScenarioBench --nodes 40 --minutes 4</pre>
 */
@Command(name = "utilisation-scenario", mixinStandardHelpOptions = true)
public final class UtilisationScenarioBench implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "40")
    int nodes;

    @Option(names = "--minutes", defaultValue = "4")
    int minutes;

    @Option(names = "--traces", defaultValue = "../shared/traces")
    Path traces;

    @Option(names = "--speedup", defaultValue = "600", description = "Trace seconds per real second.")
    double speedup;

    @Option(names = "--utilisation", defaultValue = "0.6,1.0", description = "Batch/free pods use request × u.")
    String utilisation;

    @Option(
            names = "--isolation",
            negatable = true,
            defaultValue = "false",
            fallbackValue = "true",
            description = "Play the node agent's besteffort box in the simulator.")
    boolean isolation;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UtilisationScenarioBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Trace> loaded = new ArrayList<>();
        try (Stream<Path> files = Files.list(traces)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                loaded.add(TraceCsv.read(f, w -> {}));
            }
        }
        try (LocalControlPlane cp =
                        LocalControlPlane.start(ControlPlaneOptions.defaults().withAuditVerbs(Set.of()));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            NodeUsageCrd.install(admin, NodeUsageCrd.MANIFEST, Duration.ofSeconds(30));
            List<Node> fleet = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fleet.add(NodeFixture.node(String.format("u-%04d", i))
                        .cpu("8")
                        .memory("32Gi")
                        .build());
            }
            Bulk.create(admin, fleet, 16);
            String ns = Namespaces.fresh(admin, "utilisation");
            List<Pod> pods = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                for (int k = 0; k < 4; k++) { // prod: 4 × 1600m = 80 % of 8 cores requested
                    Pod p = PodFixture.pod("prod-" + i + "-" + k)
                            .namespace(ns)
                            .tier("prod")
                            .cpuMilli(1600)
                            .memoryMi(6 * 1024)
                            .build();
                    p.getSpec().setNodeName(String.format("u-%04d", i));
                    pods.add(p);
                }
            }
            Bulk.create(admin, pods, 16);
            QshardConfig cfg = QshardConfig.defaults();
            KubernetesClient simClient = io.qshard.kube.client.ApiClients.create(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                            cp.kubeconfig().toFile()),
                    "bench-simulator");
            KubernetesClient schedClient = io.qshard.kube.client.ApiClients.create(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                            cp.kubeconfig().toFile()),
                    "bench-scheduler");
            try (SimulatorProcess sim = SimulatorProcess.start(
                    simClient,
                    cfg,
                    SimulationSettings.of(new TraceLoad(loaded, speedup))
                            .withUtilisation(PodUtilisation.parse(utilisation, 1))
                            .withInterval(Duration.ofSeconds(2))
                            .withWriters(8)
                            .withIsolation(isolation),
                    Duration.ofSeconds(60),
                    Clock.systemUTC())) {
                SchedulerProcess all = SchedulerProcess.start(
                        schedClient,
                        cfg,
                        ShippedPlugins.registry(),
                        cfg.tiers(),
                        SchedulerSettings.defaults(),
                        Duration.ofSeconds(60),
                        Clock.systemUTC());
                try {
                    List<Pod> filler = new ArrayList<>();
                    for (int i = 0; i < nodes * 8; i++) {
                        filler.add(PodFixture.pod("batch-" + i)
                                .namespace(ns)
                                .tier("batch")
                                .cpuMilli(500)
                                .memoryMi(1024)
                                .build());
                        filler.add(PodFixture.pod("free-" + i)
                                .namespace(ns)
                                .tier("free")
                                .cpuMilli(250)
                                .memoryMi(512)
                                .build());
                    }
                    Bulk.create(admin, filler, 16);
                    long end = System.nanoTime() + minutes * 60_000_000_000L;
                    long warm = System.nanoTime() + 60_000_000_000L; // the first minute fills the cluster
                    double sum = 0;
                    double prodSum = 0;
                    long samples = 0;
                    long hot = 0;
                    while (System.nanoTime() < end) {
                        Thread.sleep(5_000); // a benchmark sampling period, not a test synchronisation
                        if (System.nanoTime() < warm) {
                            continue;
                        }
                        for (NodeUsage nu :
                                admin.resources(NodeUsage.class).list().getItems()) {
                            if (nu.getStatus() == null || nu.getStatus().getNode() == null) {
                                continue;
                            }
                            double u = nu.getStatus().getNode().getCpuMilli() / 8000.0;
                            var prod = nu.getStatus().getTiers().get("prod");
                            prodSum += prod == null ? 0 : prod.getCpuMilli() / 8000.0;
                            sum += u;
                            samples++;
                            if (u > 0.9) {
                                hot++;
                            }
                        }
                    }
                    long bound = admin.pods().inNamespace(ns).list().getItems().stream()
                            .filter(p -> p.getSpec().getNodeName() != null
                                    && !p.getSpec().getNodeName().isEmpty())
                            .count();
                    System.out.printf(
                            Locale.ROOT,
                            "%d nodes, %d min (%.0f trace hours), %d node-samples: mean cpu usage "
                                    + "%.1f %% (prod %.1f %%), node-samples above 90 %%: %.2f %%; pods bound %d of %d%n",
                            nodes,
                            minutes,
                            minutes * 60 * speedup / 3600,
                            samples,
                            100 * sum / samples,
                            100 * prodSum / samples,
                            100.0 * hot / samples,
                            bound,
                            pods.size() + filler.size());
                } finally {
                    all.stop(Duration.ofSeconds(5));
                }
            }
        }
        return 0;
    }
}
