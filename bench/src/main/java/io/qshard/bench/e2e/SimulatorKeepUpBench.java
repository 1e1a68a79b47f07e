package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.simulator.SimulationSettings;
import io.qshard.simulator.Simulator;
import io.qshard.simulator.SimulatorProcess;
import io.qshard.simulator.TraceLoad;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Does {@code qshard simulate} keep up? N nodes with P bound pods each on a local control plane; the simulator runs
 * for R report intervals; prints the NodeUsage writes achieved against the target (N per interval), late ticks,
 * write errors and the CPU seconds of this process and of the apiserver.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.e2e.SimulatorKeepUpBench --nodes 1000 --interval 10 --rounds 6</pre>
 */
@Command(name = "simulator-keep-up", mixinStandardHelpOptions = true)
public final class SimulatorKeepUpBench implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "1000")
    int nodes;

    @Option(names = "--pods-per-node", defaultValue = "4")
    int podsPerNode;

    @Option(names = "--interval", defaultValue = "10", description = "Report interval, seconds.")
    int interval;

    @Option(names = "--rounds", defaultValue = "6", description = "Intervals measured.")
    int rounds;

    @Option(names = "--writers", defaultValue = "16")
    int writers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorKeepUpBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (LocalControlPlane cp =
                        LocalControlPlane.start(ControlPlaneOptions.defaults().withAuditVerbs(Set.of()));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            NodeUsageCrd.install(admin, NodeUsageCrd.MANIFEST, Duration.ofSeconds(30));
            List<Node> fleet = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fleet.add(NodeFixture.node(String.format("sim-%05d", i))
                        .cpu("16")
                        .memory("64Gi")
                        .build());
            }
            Bulk.create(admin, fleet, 16);
            String ns = Namespaces.fresh(admin, "keepup");
            List<Pod> pods = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                for (int k = 0; k < podsPerNode; k++) {
                    Pod p = PodFixture.pod("p-" + i + "-" + k)
                            .namespace(ns)
                            .tier(k % 2 == 0 ? "prod" : "batch")
                            .cpuMilli(1000)
                            .memoryMi(1024)
                            .build();
                    p.getSpec().setNodeName(String.format("sim-%05d", i));
                    pods.add(p);
                }
            }
            Bulk.create(admin, pods, 16);
            System.out.printf(Locale.ROOT, "%d nodes, %d pods created%n", nodes, pods.size());
            KubernetesClient client = io.qshard.kube.client.ApiClients.create(
                    io.fabric8.kubernetes.client.Config.fromKubeconfig(
                            cp.kubeconfig().toFile()),
                    "bench-simulator");
            long self = ProcessHandle.current().pid();
            double cpu0 = CpuTime.of(self);
            double api0 = CpuTime.of(cp.pids().get("kube-apiserver"));
            long t0 = System.nanoTime();
            try (SimulatorProcess sim = SimulatorProcess.start(
                    client,
                    QshardConfig.defaults(),
                    SimulationSettings.of(TraceLoad.constant(0.25, 0.3))
                            .withInterval(Duration.ofSeconds(interval))
                            .withWriters(writers),
                    Duration.ofSeconds(120),
                    Clock.systemUTC())) {
                Simulator s = sim.simulator();
                // first: every pod marked Running (start-up burst), then the steady reports
                while (s.writes.podsStarted.sum() < pods.size() && System.nanoTime() - t0 < 600e9) {
                    Thread.sleep(200); // a benchmark harness polling a counter, not a test synchronising
                }
                double startup = (System.nanoTime() - t0) / 1e9;
                long writes0 = s.writes.usageWrites.sum();
                double cpu1 = CpuTime.of(self);
                double api1 = CpuTime.of(cp.pids().get("kube-apiserver"));
                long t1 = System.nanoTime();
                Thread.sleep((long) rounds * interval * 1000L);
                double seconds = (System.nanoTime() - t1) / 1e9;
                long writes = s.writes.usageWrites.sum() - writes0;
                System.out.printf(
                        Locale.ROOT, "pods marked Running: %d in %.1f s%n", s.writes.podsStarted.sum(), startup);
                System.out.printf(
                        Locale.ROOT,
                        "steady: %d NodeUsage writes in %.1f s = %.0f/s (target %d per %d s = %.0f/s), "
                                + "late ticks %d, write errors %d, batch advertisements %d; CPU s: simulator %.1f, apiserver %.1f%n",
                        writes,
                        seconds,
                        writes / seconds,
                        nodes,
                        interval,
                        (double) nodes / interval,
                        s.lateTicks.sum(),
                        s.writes.writeErrors.sum(),
                        s.writes.advertised.sum(),
                        CpuTime.of(self) - cpu1,
                        CpuTime.of(cp.pids().get("kube-apiserver")) - api1);
                System.out.printf(
                        Locale.ROOT, "start-up CPU s: simulator %.1f, apiserver %.1f%n", cpu1 - cpu0, api1 - api0);
            }
        }
        return 0;
    }
}
