package io.qshard.bench.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.bench.e2e.BacklogRound.Result;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.NodeUsageCrd;
import io.qshard.localcluster.ControlPlaneOptions;
import io.qshard.localcluster.KubeClients;
import io.qshard.localcluster.LocalControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The end-to-end backlog of {@link BacklogBench} bound by the prod tier with 1 shard and with N shards, on one local
 * control plane in one run: "1 shard" (one {@code qshard run --tier prod}), "N shards, N processes" (one
 * {@code qshard run --tier prod --shard i} each, as the manifests deploy them) and "N shards, one process"
 * ({@code qshard run --all-tiers}). Same pods, same nodes, order rotated each round, medians reported; results go to
 * stdout and to the shards section of bench/RESULTS.md.
 */
@Command(
        name = "shard-backlog-bench",
        mixinStandardHelpOptions = true,
        description = "The end-to-end backlog with 1 shard vs N shards, same run, same apiserver.")
public final class ShardBacklogBench implements Callable<Integer> {
    @CommandLine.Mixin
    BacklogOptions o;

    @Option(
            names = "--shards",
            defaultValue = "4",
            description = "Shards of the sharded contenders (default: ${DEFAULT-VALUE}).")
    int shards;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ShardBacklogBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path logs = Files.createDirectories(Path.of("bench", "target", "e2e-logs"));
        Path one = config(logs.resolve("qshard-1-shard.yaml"), 1);
        Path many = config(logs.resolve("qshard-" + shards + "-shards.yaml"), shards);
        String sn = "qshard-prod";
        List<Contender> contenders = new ArrayList<>();
        contenders.add(qshard("1 shard", sn, one, logs.resolve("shard-1.log"), "--tier", "prod"));
        List<ProcessContender> members = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            members.add(qshard(
                    "shard " + s,
                    sn,
                    many,
                    logs.resolve("shards-" + shards + "-p" + s + ".log"),
                    "--tier",
                    "prod",
                    "--shard",
                    Integer.toString(s)));
        }
        contenders.add(new ProcessGroupContender(shards + " shards, " + shards + " processes", sn, members));
        contenders.add(qshard(
                shards + " shards, one process",
                sn,
                many,
                logs.resolve("shards-" + shards + "-1p.log"),
                "--all-tiers"));
        try (LocalControlPlane cp =
                        LocalControlPlane.start(ControlPlaneOptions.defaults().withAuditVerbs(Set.of()));
                KubernetesClient admin = KubeClients.forControlPlane(cp, "bench-admin")) {
            o.registerFleet(admin);
            Crds.install(
                    admin,
                    Path.of("manifests", "crds", "shardmap.yaml"),
                    Duration.ofSeconds(60)); // a sharded tier needs it
            NodeUsageCrd.install(
                    admin, NodeUsageCrd.MANIFEST, Duration.ofSeconds(60)); // the same view for every contender
            List<List<Result>> all = new ArrayList<>();
            contenders.forEach(c -> all.add(new ArrayList<>()));
            for (int round = 0; round < o.rounds; round++) {
                for (int k = 0; k < contenders.size(); k++) {
                    int i = (k + round) % contenders.size();
                    all.get(i).add(BacklogRound.run(admin, cp, contenders.get(i), o, 0, round + 1));
                }
            }
            String table = table(all);
            System.out.println(table);
            BenchResults.replaceSection(o.results, "shards", table);
            return all.stream().flatMap(List::stream).allMatch(r -> r.bound() == o.pods) ? 0 : 1;
        }
    }

    private ProcessContender qshard(String name, String schedulerName, Path config, Path log, String... args) {
        return new ProcessContender(
                name,
                schedulerName,
                kc -> {
                    List<String> cmd = new ArrayList<>(List.of(
                            o.launcher.toAbsolutePath().toString(),
                            "run",
                            "--config",
                            config.toAbsolutePath().toString(),
                            "--kubeconfig",
                            kc.toString(),
                            "--metrics-port",
                            "0",
                            // prod alone, its shards on disjoint nodes: no node bookings in any topology compared
                            "--node-bookings=off"));
                    cmd.addAll(List.of(args));
                    return cmd;
                },
                log);
    }

    /** A qshard.yaml with only the prod tier's shard count changed. */
    private static Path config(Path file, int shards) throws IOException {
        return Files.writeString(file, "tiers:\n  - name: prod\n    shards: " + shards + "\n");
    }

    private String table(List<List<Result>> all) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "%d nodes, backlog of %d prod pods per contender (cold start), %d rounds, %s%n%n"
                        + "| contender (median round) | bound | pods/s (first→last binding) | wall s (start→last binding) "
                        + "| CPU s: qshard | apiserver | etcd | every round, pods/s |%n|---|---:|---:|---:|---:|---:|---:|---|%n",
                o.nodes,
                o.pods,
                o.rounds,
                LocalDate.now()));
        for (List<Result> rs : all) {
            Result r = BacklogRound.median(rs);
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    r.name(),
                    r.bound(),
                    r.podsPerSecond(),
                    r.wallSeconds(),
                    r.contenderCpu(),
                    r.apiserverCpu(),
                    r.etcdCpu(),
                    rs.stream()
                            .map(x -> String.format(Locale.ROOT, "%.0f", x.podsPerSecond()))
                            .toList()));
        }
        return sb.toString();
    }
}
