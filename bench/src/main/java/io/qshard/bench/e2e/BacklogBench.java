package io.qshard.bench.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.bench.e2e.BacklogRound.Result;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeBinaries;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.shard.binder.Binder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end backlog benchmark on one local control plane: registers N nodes, then for each contender
 * (kube-scheduler 1.20, qshard with its defaults, a plain fabric8 bind loop, and the raw binding client with and without
 * the one pod watch every scheduler keeps — each its own process) creates a
 * fresh namespace with a backlog of M pending pods, starts the contender and measures until all are bound. Throughput is
 * (M − 1) / (last binding − first binding) as seen by a watch, so process start-up is excluded for all;
 * wall time from start to the last binding is reported too. Results go to stdout and bench/RESULTS.md.
 * {@code --workload topology} ({@link TopologyWorkload}) runs Deployment-like pods with hostname anti-affinity and zone
 * spread instead, for kube-scheduler and qshard by default, and audits every round's bound pods from the API
 * ({@link PlacementAudit}); its table ({@link TopologyReport}) goes to its own section.
 */
@Command(
        name = "backlog-bench",
        mixinStandardHelpOptions = true,
        description = "qshard vs kube-scheduler 1.20 vs the raw binding ceiling, same run, same apiserver.")
public final class BacklogBench implements Callable<Integer> {
    @CommandLine.Mixin
    BacklogOptions o;

    @Option(
            names = "--warmup",
            defaultValue = "0",
            description =
                    "Older warm-up pods per contender, bound before the measured backlog (JIT warm-up; default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--warmup-rounds",
            defaultValue = "1",
            description =
                    "Rounds of the lean bind loop run first and not counted, so that the apiserver's and etcd's first "
                            + "burst after start (heap growth, caches) is not charged to whichever contender goes first (default: ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(
            names = "--raw-concurrency",
            defaultValue = "" + Binder.DEFAULT_CONCURRENCY,
            description = "Concurrency of the raw binding client (default: qshard's default, ${DEFAULT-VALUE}).")
    int rawConcurrency;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these contenders: kube, qshard, naive, raw, raw-watch, baseline (default: all; the "
                    + "ratios need all; with --workload topology: kube, qshard and baseline if given).")
    List<String> only;

    @Option(
            names = "--workload",
            defaultValue = "plain",
            description = "plain (default): prod-shaped pods (100m / 128Mi) without placement rules, the table of the "
                    + "'e2e' section. topology: nodes in 10 zones (topology.kubernetes.io/zone) and Deployment-like "
                    + "pods, 10 replicas per app (app: appN), each with required podAntiAffinity on "
                    + "kubernetes.io/hostname and a zone topologySpreadConstraint (maxSkew 1, DoNotSchedule) on its "
                    + "own app; after each round the bound pods are audited from the API for violated rules; only "
                    + "kube-scheduler and qshard run unless --only says otherwise; its table goes to the "
                    + "'e2e-topology' section. Issue 20's run: --workload topology --nodes 1000 --pods 5000.")
    BacklogWorkload.Kind workload;

    @Option(
            names = "--qshard-java-opts",
            description = "QSHARD_JAVA_OPTS for the qshard process (default: unset, the launcher's defaults).")
    String qshardJavaOpts;

    @Option(
            names = "--qshard-args",
            defaultValue = "",
            description = "Extra arguments for `qshard run` (default: none — its defaults).")
    String qshardArgs;

    @Option(
            names = "--baseline-launcher",
            paramLabel = "PATH",
            description =
                    "Also run another build of qshard as a sixth contender, e.g. the launcher of a `git worktree` of the "
                            + "commit before a change (…/bin/qshard): before and after in one run, on one apiserver.")
    Path baselineLauncher;

    /** schedulerName of the raw client's pods (no scheduler handles it). */
    static final String RAW_SCHEDULER_NAME = "bench-raw-binder";
    /** schedulerName of the pods of the raw client that also keeps a pod watch. */
    static final String RAW_WATCH_SCHEDULER_NAME = "bench-raw-watch-binder";
    /** schedulerName of the plain fabric8 loop's pods. */
    static final String NAIVE_SCHEDULER_NAME = "bench-naive-binder";

    public static void main(String[] args) {
        System.exit(new CommandLine(new BacklogBench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        // profiling on: each contender starts right after a forced apiserver GC (BacklogRound.collectApiserverGarbage)
        try (LocalControlPlane cp = LocalControlPlane.start(ControlPlaneOptions.defaults()
                        .withAuditVerbs(Set.of())
                        .withExtraApiserverArgs(List.of("--profiling=true")));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            BacklogWorkload w = workload.create();
            w.registerFleet(admin, o);
            Path logs = Files.createDirectories(Path.of("bench", "target", "e2e-logs"));
            KubeBinaries bin = KubeBinaries.locate();
            List<Contender> contenders = new ArrayList<>(List.of(
                    new ProcessContender(
                            "kube-scheduler 1.20",
                            "default-scheduler",
                            kc -> List.of(
                                    bin.kubeScheduler().toString(),
                                    "--kubeconfig=" + kc,
                                    "--leader-elect=false",
                                    "--kube-api-qps=5000",
                                    "--kube-api-burst=5000",
                                    "--port=0",
                                    "--secure-port=0",
                                    "--v=0"),
                            logs.resolve("kube-scheduler.log")),
                    new ProcessContender(
                            "qshard (defaults)",
                            "qshard-prod",
                            kc -> {
                                List<String> cmd = new ArrayList<>(List.of(
                                        o.launcher.toAbsolutePath().toString(),
                                        "run",
                                        "--tier",
                                        "prod",
                                        "--kubeconfig",
                                        kc.toString(),
                                        "--metrics-port",
                                        "0",
                                        // the only qshard scheduler here: no node bookings (its default with one tier)
                                        "--node-bookings=off"));
                                if (!qshardArgs.isBlank()) {
                                    cmd.addAll(List.of(qshardArgs.trim().split("\\s+")));
                                }
                                return cmd;
                            },
                            logs.resolve("qshard.log"),
                            qshardJavaOpts),
                    new ProcessContender(
                            "plain fabric8 bind loop",
                            NAIVE_SCHEDULER_NAME,
                            kc -> List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-XX:TieredStopAtLevel=1",
                                    "-XX:+UseSerialGC",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    NaiveBindMain.class.getName(),
                                    kc.toString(),
                                    NAIVE_SCHEDULER_NAME,
                                    Integer.toString(rawConcurrency)),
                            logs.resolve("naive.log")),
                    leanLoop("lean bind loop (qshard's binder)", RAW_SCHEDULER_NAME, 0, logs.resolve("raw.log")),
                    leanLoop(
                            "lean bind loop + one pod watch",
                            RAW_WATCH_SCHEDULER_NAME,
                            1,
                            logs.resolve("raw-watch.log"))));
            List<String> keys = new ArrayList<>(List.of("kube", "qshard", "naive", "raw", "raw-watch"));
            if (baselineLauncher != null) {
                contenders.add(new ProcessContender(
                        "qshard (baseline build)",
                        "qshard-prod",
                        kc -> List.of(
                                baselineLauncher.toAbsolutePath().toString(),
                                "run",
                                "--tier",
                                "prod",
                                "--kubeconfig",
                                kc.toString(),
                                "--metrics-port",
                                "0"),
                        logs.resolve("qshard-baseline.log"),
                        qshardJavaOpts));
                keys.add("baseline");
            }
            for (int i = 0; i < warmupRounds; i++) {
                System.out.println(
                        "control-plane warm-up round " + (i + 1) + " of " + warmupRounds + " (not counted):");
                BacklogRound.run(admin, cp, contenders.get(3), o, 0, 0, w);
            }
            List<String> run = only != null
                    ? only
                    : workload == BacklogWorkload.Kind.TOPOLOGY ? List.of("kube", "qshard", "baseline") : keys;
            List<List<Result>> byContender = new ArrayList<>();
            contenders.forEach(c -> byContender.add(new ArrayList<>()));
            for (int round = 0; round < o.rounds; round++) {
                for (int k = 0; k < contenders.size(); k++) {
                    int i = (k + round) % contenders.size(); // rotate the order: no contender always runs first
                    if (run.contains(keys.get(i))) {
                        byContender.get(i).add(BacklogRound.run(admin, cp, contenders.get(i), o, warmup, round + 1, w));
                    }
                }
            }
            List<Result> out = new ArrayList<>();
            for (List<Result> rs : byContender) {
                if (!rs.isEmpty()) {
                    out.add(BacklogRound.median(rs));
                }
            }
            if (workload == BacklogWorkload.Kind.TOPOLOGY) {
                String table = TopologyReport.table(o, w, warmup, warmupRounds, byContender);
                System.out.println(table);
                BenchResults.replaceSection(o.results, TopologyReport.SECTION, table);
            } else if (out.size() == contenders.size()) {
                String table = table(out, byContender);
                System.out.println(table);
                BenchResults.replaceSection(o.results, "e2e", table);
            }
            boolean allBound = byContender.stream().flatMap(List::stream).allMatch(r -> r.bound() == o.pods);
            boolean rulesHeld = true; // by the schedulers: the bind loops (naive, raw…) ignore placement rules
            for (int i = 0; i < keys.size(); i++) {
                if (List.of("kube", "qshard", "baseline").contains(keys.get(i))) {
                    rulesHeld &= byContender.get(i).stream()
                            .allMatch(r -> r.audit() == null || r.audit().violations() == 0);
                }
            }
            return allBound && rulesHeld ? 0 : 1;
        }
    }

    /**
     * {@link RawBindMain} under {@code bin/qshard}'s JVM flags, with {@code watches} pod watches decoded by qshard's
     * reflector and dropped (every scheduler keeps one: it is what the apiserver and the client pay for it).
     */
    private ProcessContender leanLoop(String name, String schedulerName, int watches, Path log) {
        return new ProcessContender(
                name,
                schedulerName,
                kc -> List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Draw.watches=" + watches,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RawBindMain.class.getName(),
                        kc.toString(),
                        schedulerName,
                        Integer.toString(rawConcurrency)),
                log);
    }

    private String table(List<Result> out, List<List<Result>> all) {
        Result kube = out.get(0);
        Result qshard = out.get(1);
        Result naive = out.get(2);
        Result lean = out.get(3);
        Result leanWatch = out.get(4);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%d nodes, measured backlog of %d pods per contender%s, %d rounds after %d uncounted "
                        + "control-plane warm-up round(s), %s%n%n",
                o.nodes,
                o.pods,
                warmup > 0 ? " after " + warmup + " older warm-up pods bound first" : " (cold start)",
                o.rounds,
                warmupRounds,
                LocalDate.now()));
        sb.append("| contender (median round) | bound | pods/s (first→last binding) | wall s (start→last binding) "
                + "| CPU s: contender | apiserver | etcd | first→last binding: contender | apiserver | etcd |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : out) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    r.name(),
                    r.bound(),
                    r.podsPerSecond(),
                    r.wallSeconds(),
                    r.contenderCpu(),
                    r.apiserverCpu(),
                    r.etcdCpu(),
                    r.burst().contenderCpu(),
                    r.burst().apiserverCpu(),
                    r.burst().etcdCpu()));
        }
        sb.append(String.format(
                Locale.ROOT,
                "%n| qshard ÷ … | ratio of the medians | median of the per-round ratios |%n|---|---:|---:|%n"
                        + "| kube-scheduler 1.20 | **%.2f×** | %.2f× |%n| plain fabric8 bind loop (the issue's naive ceiling) | **%.0f%%** | %.0f%% |%n"
                        + "| lean bind loop (qshard's own binder) | **%.0f%%** | %.0f%% |%n"
                        + "| lean bind loop + one pod watch (what any scheduler's watch leaves) | %.0f%% | %.0f%% |%n",
                qshard.podsPerSecond() / kube.podsPerSecond(),
                medianRatio(all, 1, 0),
                100 * qshard.podsPerSecond() / naive.podsPerSecond(),
                100 * medianRatio(all, 1, 2),
                100 * qshard.podsPerSecond() / lean.podsPerSecond(),
                100 * medianRatio(all, 1, 3),
                100 * qshard.podsPerSecond() / leanWatch.podsPerSecond(),
                100 * medianRatio(all, 1, 4)));
        if (out.size() > 5) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| qshard (baseline build) — the same scheduler before the change | **%.0f%%** | %.0f%% |%n",
                    100 * qshard.podsPerSecond() / out.get(5).podsPerSecond(),
                    100 * medianRatio(all, 1, 5)));
        }
        sb.append("\nEvery round, pods/s (order rotated each round):\n\n");
        for (int i = 0; i < out.size(); i++) {
            sb.append("- ")
                    .append(out.get(i).name())
                    .append(": ")
                    .append(all.get(i).stream()
                            .map(r -> String.format(Locale.ROOT, "%.0f", r.podsPerSecond()))
                            .toList())
                    .append('\n');
        }
        return sb.toString();
    }

    private static double medianRatio(List<List<Result>> all, int a, int b) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < all.get(a).size(); r++) {
            ratios.add(all.get(a).get(r).podsPerSecond() / all.get(b).get(r).podsPerSecond());
        }
        java.util.Collections.sort(ratios);
        return ratios.get(ratios.size() / 2);
    }
}
