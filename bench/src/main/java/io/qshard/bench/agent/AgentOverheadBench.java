package io.qshard.bench.agent;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.CgroupLayout;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.bench.e2e.CpuTime;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.Namespaces;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.localcluster.fixtures.PodFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node agent's overhead at 100 pod cgroups: the real agent jar as its own JVM ({@code -Xmx64m}), a node with 100
 * pods in the local apiserver, 100 pod cgroups in a private subtree of this machine's real cgroup v1 hierarchies (a
 * tmpfs copy of the same layout where they are not writable), defaults otherwise (sample every 1 s, report every
 * 10 s). After a warm-up, the agent's process cpu time over the measured window (from /proc) and its heap after a full
 * GC ({@code jcmd GC.heap_info}).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.qshard.bench.agent.AgentOverheadBench --pods 100 --seconds 120</pre>
 */
@Command(name = "agent-overhead", mixinStandardHelpOptions = true)
public final class AgentOverheadBench implements Callable<Integer> {
    @Option(names = "--pods", defaultValue = "100")
    int pods;

    @Option(names = "--seconds", defaultValue = "120", description = "Measured window.")
    int seconds;

    @Option(names = "--warm-up", defaultValue = "30", description = "Seconds before measuring.")
    int warmUp;

    @Option(names = "--agent-jar", defaultValue = "node-agent/target/qshard-agent.jar")
    Path agentJar;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentOverheadBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean real = Files.isWritable(Path.of("/sys/fs/cgroup/cpu"))
                && Files.isWritable(Path.of("/sys/fs/cgroup/cpuacct"))
                && Files.isWritable(Path.of("/sys/fs/cgroup/memory"));
        Path root = real ? Path.of("/sys/fs/cgroup") : Files.createTempDirectory(Path.of("/dev/shm"), "agent-bench");
        String parent = "qshard-bench-" + ProcessHandle.current().pid();
        List<Path> created = new ArrayList<>();
        try (LocalControlPlane cp =
                        LocalControlPlane.start(ControlPlaneOptions.defaults().withAuditVerbs(Set.of()));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            NodeUsageCrd.install(admin, NodeUsageCrd.MANIFEST, Duration.ofSeconds(30));
            admin.nodes()
                    .resource(NodeFixture.node("overhead")
                            .cpu("32")
                            .memory("128Gi")
                            .build())
                    .create();
            String ns = Namespaces.fresh(admin, "overhead");
            String[] tiers = {"prod", "mid", "batch", "free"};
            List<Pod> list = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                Pod p = PodFixture.pod("p-" + i)
                        .namespace(ns)
                        .tier(tiers[i % 4])
                        .cpuMilli(100)
                        .memoryMi(128)
                        .build();
                p.getSpec().setNodeName("overhead");
                list.add(p);
            }
            Bulk.create(admin, list, 16);
            CgroupLayout layout = new CgroupLayout(CgroupDriver.CGROUPFS, parent);
            for (Pod p : admin.pods().inNamespace(ns).list().getItems()) {
                QosClass qos = switch (p.getSpec().getSchedulerName()) {
                    case "qshard-prod" -> QosClass.GUARANTEED;
                    case "qshard-mid" -> QosClass.BURSTABLE;
                    default -> QosClass.BESTEFFORT;
                };
                for (String c : List.of("cpu", "cpuacct", "memory")) {
                    Path dir = root.resolve(c)
                            .resolve(layout.pod(qos, p.getMetadata().getUid()));
                    Files.createDirectories(dir);
                    if (!real) {
                        Files.writeString(dir.resolve("cpuacct.usage"), "0");
                        Files.writeString(dir.resolve("memory.usage_in_bytes"), "0");
                        Files.writeString(dir.resolve("memory.stat"), "total_inactive_file 0\n");
                    }
                    created.add(dir);
                }
            }
            Process agent = new ProcessBuilder(
                            "java",
                            "-Xmx64m",
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-jar",
                            agentJar.toString(),
                            "--node-name",
                            "overhead",
                            "--cgroup-root",
                            root.toString(),
                            "--cgroup-parent",
                            parent,
                            "--cgroup-version",
                            "1",
                            "--kubeconfig",
                            cp.kubeconfig().toString(),
                            "--metrics-port",
                            "0")
                    .redirectErrorStream(true)
                    .redirectOutput(
                            Files.createTempFile("agent-overhead", ".log").toFile())
                    .start();
            Thread.sleep(warmUp * 1000L); // benchmark warm-up, not synchronisation
            double cpu0 = CpuTime.of(agent.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double cpu = CpuTime.of(agent.pid()) - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            String heap = jcmd(agent.pid());
            agent.destroy(); // SIGTERM: the agent lifts its isolation and exits 0
            int exit = agent.waitFor();
            System.out.printf(
                    Locale.ROOT,
                    "%d pod cgroups (%s), %d s measured: agent cpu %.2f %% of one core; heap after "
                            + "full GC: %s; exit %d%n",
                    pods,
                    real ? "real cgroup v1" : "tmpfs copy",
                    seconds,
                    100 * cpu / wall,
                    heap,
                    exit);
        } finally {
            created.sort(Comparator.comparingInt((Path p) -> p.getNameCount()).reversed());
            for (String c : List.of("cpu", "cpuacct", "memory")) {
                deleteTree(root.resolve(c).resolve(parent), real);
            }
        }
        return 0;
    }

    private static String jcmd(long pid) throws IOException, InterruptedException {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                .redirectErrorStream(true)
                .start()
                .waitFor();
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        long usedK = 0;
        for (String line : out.lines()
                .filter(l -> l.contains("generation") && l.contains("used"))
                .toList()) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("used (\\d+)K").matcher(line);
            if (m.find()) {
                usedK += Long.parseLong(m.group(1));
            }
        }
        return usedK == 0
                ? out.trim()
                : String.format(Locale.ROOT, "%.1f MiB used (young + old generation)", usedK / 1024.0);
    }

    private static void deleteTree(Path top, boolean cgroupfs) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        List<Path> all;
        try (var walk = Files.walk(top)) {
            all = walk.filter(p -> !cgroupfs || Files.isDirectory(p))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
