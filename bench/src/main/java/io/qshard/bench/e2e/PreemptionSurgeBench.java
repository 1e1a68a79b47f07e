package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import io.qshard.shard.scheduler.SchedulerProcess;
import io.qshard.shard.scheduler.SchedulerSettings;
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
 * A surge of prod pods onto a cluster whose native room is held by mid pods and whose batch pool is full of batch
 * pods (issue 22): prod's scheduler preempts mid pods within the cross-tier caps (the migration loop's: per minute,
 * per node and per workload within the cooldown). Prints the time to bind every prod pod, the victims by tier and the
 * caps audit (most victims in any window, from the watch's times). Batch pods ask only {@code qshard.io/batch-*}, so
 * they never hold room a prod pod needs: they are never victims.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.e2e.PreemptionSurgeBench --nodes 50 --prod 500</pre>
 */
@Command(name = "preemption-surge", mixinStandardHelpOptions = true)
public final class PreemptionSurgeBench implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "50")
    int nodes;

    @Option(names = "--prod", defaultValue = "500", description = "Prod pods in the surge.")
    int prod;

    @Option(names = "--prod-cpu", defaultValue = "250", description = "Each prod pod's cpu, milli-cores.")
    int prodCpu;

    @Option(names = "--mid-per-node", defaultValue = "12", description = "Mid pods of 500m per 8-cpu node.")
    int midPerNode;

    @Option(names = "--mid-workloads", defaultValue = "50", description = "Controllers the mid pods belong to.")
    int midWorkloads;

    @Option(names = "--deadline", defaultValue = "900", description = "Give up after this many seconds.")
    int deadline;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PreemptionSurgeBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        MigrationConfig caps = MigrationConfig.defaults();
        try (LocalControlPlane cp =
                        LocalControlPlane.start(ControlPlaneOptions.defaults().withAuditVerbs(Set.of()));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            for (String[] pc :
                    new String[][] {{"qshard-prod", "9000"}, {"qshard-mid", "7000"}, {"qshard-batch", "5000"}}) {
                admin.resource(new PriorityClassBuilder()
                                .withNewMetadata()
                                .withName(pc[0])
                                .endMetadata()
                                .withValue(Integer.valueOf(pc[1]))
                                .withPreemptionPolicy(pc[0].equals("qshard-prod") ? null : "Never")
                                .build())
                        .create();
            }
            List<Node> fleet = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fleet.add(NodeFixture.node(name(i))
                        .cpu("8")
                        .memory("32Gi")
                        .batch(8000, 32L << 30)
                        .build());
            }
            Bulk.create(admin, fleet, 16);
            String lowNs = Namespaces.fresh(admin, "surge-low");
            String prodNs = Namespaces.fresh(admin, "surge-prod");
            List<Pod> low = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                for (int k = 0; k < midPerNode; k++) {
                    int w = (i * midPerNode + k) % midWorkloads;
                    Pod p = existing(lowNs, "mid-" + i + "-" + k, "mid", "qshard-mid", 500, name(i));
                    p.getMetadata()
                            .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                                    .withApiVersion("apps/v1")
                                    .withKind("ReplicaSet")
                                    .withName("mid-rs-" + w)
                                    .withUid("00000000-0000-0000-0000-" + String.format("%012d", w))
                                    .withController(true)
                                    .build()));
                    low.add(p);
                }
                for (int k = 0; k < 8; k++) { // the whole batch pool: 8 × 1000 batch milli-cores
                    low.add(existing(lowNs, "batch-" + i + "-" + k, "batch", "qshard-batch", 1000, name(i)));
                }
            }
            Bulk.create(admin, low, 16);
            int fitting = nodes * ((8000 - midPerNode * 500) / prodCpu);
            System.out.printf(
                    Locale.ROOT,
                    "%d nodes of 8 cpu: %d mid pods (500m, %d workloads), %d batch pods; %d prod pods of %dm, %d fit"
                            + " without preemption; caps %d/min, %d/node and %d/workload per %s%n",
                    nodes,
                    nodes * midPerNode,
                    midWorkloads,
                    nodes * 8,
                    prod,
                    prodCpu,
                    Math.min(prod, fitting),
                    caps.maxEvictionsPerMinute(),
                    caps.maxPerNode(),
                    caps.maxPerWorkload(),
                    caps.cooldown());
            QshardConfig cfg = QshardConfig.defaults().withMigration(caps);
            SurgeLedger ledger = new SurgeLedger();
            try (Watch lows = admin.pods().inNamespace(lowNs).watch(victims(ledger));
                    Watch prods = admin.pods().inNamespace(prodNs).watch(bindings(ledger))) {
                SchedulerProcess qshard = SchedulerProcess.start(
                        io.qshard.kube.client.ApiClients.create(
                                io.fabric8.kubernetes.client.Config.fromKubeconfig(
                                        cp.kubeconfig().toFile()),
                                "bench-qshard"),
                        cfg,
                        ShippedPlugins.registry(),
                        List.of(cfg.tier("prod")),
                        SchedulerSettings.defaults(),
                        Duration.ofSeconds(120),
                        Clock.systemUTC());
                try {
                    List<Pod> surge = new ArrayList<>();
                    for (int i = 0; i < prod; i++) {
                        Pod p = existing(prodNs, "prod-" + i, "prod", "qshard-prod", prodCpu, null);
                        surge.add(p);
                    }
                    long t0 = System.nanoTime();
                    Bulk.create(admin, surge, 16);
                    while (ledger.boundCount() < prod && System.nanoTime() - t0 < deadline * 1e9) {
                        Thread.sleep(200); // a benchmark harness polling a counter, not a test synchronising
                    }
                    report(ledger, t0, caps, overbooked(admin));
                } finally {
                    qshard.stop(Duration.ofSeconds(5));
                }
            }
        }
        return 0;
    }

    private void report(SurgeLedger l, long t0, MigrationConfig caps, List<String> overcommitted) {
        double[] s = l.bindSeconds(t0);
        long minute = Duration.ofMinutes(1).toNanos();
        long window = caps.cooldown().toNanos();
        System.out.printf(
                Locale.ROOT,
                "bound %d/%d prod pods; time to bind: p50 %.1f s, p90 %.1f s, p99 %.1f s, last %.1f s%n",
                l.boundCount(),
                prod,
                pct(s, 0.50),
                pct(s, 0.90),
                pct(s, 0.99),
                s.length == 0 ? Double.NaN : s[s.length - 1]);
        System.out.printf(
                Locale.ROOT,
                "victims: %d mid, 0 batch (batch pods hold no native room); most in any 60 s: %d (cap %d); per node"
                        + " per %s: %d (cap %d); per workload: %d (cap %d); nodes over allocatable at the end: %s%n",
                l.victims(),
                l.maxInWindow(minute - Duration.ofSeconds(1).toNanos()),
                caps.maxEvictionsPerMinute(),
                caps.cooldown(),
                l.maxPerNode(window),
                caps.maxPerNode(),
                l.maxPerWorkload(window),
                caps.maxPerWorkload(),
                overcommitted);
    }

    /** Nodes where Σ the native cpu requests of their pods exceed allocatable cpu (a kubelet would refuse). */
    private static List<String> overbooked(KubernetesClient admin) {
        java.util.Map<String, java.math.BigDecimal> used = new java.util.HashMap<>();
        for (Pod p : admin.pods().inAnyNamespace().list().getItems()) {
            String node = p.getSpec().getNodeName();
            if (node == null || node.isEmpty()) {
                continue;
            }
            for (var c : p.getSpec().getContainers()) {
                var q = c.getResources() == null || c.getResources().getRequests() == null
                        ? null
                        : c.getResources().getRequests().get("cpu");
                if (q != null) {
                    used.merge(
                            node,
                            io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(q),
                            java.math.BigDecimal::add);
                }
            }
        }
        List<String> over = new ArrayList<>();
        for (Node n : admin.nodes().list().getItems()) {
            var alloc = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    n.getStatus().getAllocatable().get("cpu"));
            var u = used.getOrDefault(n.getMetadata().getName(), java.math.BigDecimal.ZERO);
            if (u.compareTo(alloc) > 0) {
                over.add(n.getMetadata().getName() + " " + u + " > " + alloc);
            }
        }
        return over;
    }

    private static double pct(double[] s, double q) {
        return s.length == 0 ? Double.NaN : s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
    }

    private static Watcher<Pod> victims(SurgeLedger ledger) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    var owners = pod.getMetadata().getOwnerReferences();
                    ledger.victim(
                            System.nanoTime(),
                            pod.getSpec().getNodeName(),
                            owners == null || owners.isEmpty()
                                    ? pod.getMetadata().getName()
                                    : owners.get(0).getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    private static Watcher<Pod> bindings(SurgeLedger ledger) {
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String node = pod.getSpec().getNodeName();
                if (node != null
                        && !node.isEmpty()
                        && seen.add(pod.getMetadata().getUid())) {
                    ledger.bound(System.nanoTime());
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }

    private static Pod existing(String ns, String name, String tier, String priorityClass, long cpu, String node) {
        Pod p = PodFixture.pod(name)
                .namespace(ns)
                .tier(tier)
                .cpuMilli(cpu)
                .memoryMi(64)
                .build();
        p.getSpec().setPriorityClassName(priorityClass);
        p.getSpec().setTerminationGracePeriodSeconds(0L);
        p.getSpec().setNodeName(node);
        return p;
    }

    private static String name(int i) {
        return String.format("surge-%04d", i);
    }
}
