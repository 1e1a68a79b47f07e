package io.qshard.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.shard.ShardMapView;
import io.qshard.kube.client.ApiserverConnection;
import io.qshard.kube.process.DurationConverter;
import io.qshard.kube.process.UserError;
import io.qshard.shard.shardmap.Rebalance;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qshard shard rebalance}: a balanced assignment, applied in two steps with the instances' acknowledgements. */
@Command(
        name = "rebalance",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compute a balanced assignment of the tier's nodes to --shards shards (weight: allocatable + "
                    + "requested cpu; few moves), print it as a diff, ask for confirmation unless --yes, then apply it: "
                    + "RELEASING (shards give up moving nodes) → every live shard leader acknowledges → ACQUIRING (new owners "
                    + "take them) → acknowledged → STABLE. No node is active in two shards at any instant.",
            "A re-run resumes a change left half-way (a timeout). Start the instances of new shards before "
                    + "rebalancing onto them."
        })
public final class ShardRebalanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tier", paramLabel = "TIER", required = true, description = "The tier.")
    String tier;

    @Option(
            names = "--shards",
            paramLabel = "N",
            description = "The new shard count, 1..64 (default: the current one).")
    Integer shards;

    @Option(
            names = "--max-moves",
            paramLabel = "K",
            defaultValue = "2147483647",
            description = "Move at most this many nodes (default: no limit).")
    int maxMoves;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long to wait for each step's acknowledgements (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
            names = "--lease-namespace",
            paramLabel = "NS",
            defaultValue = "",
            description =
                    "Where the shards' Leases are (the instances' --lease-namespace); empty when they run without "
                            + "election: then every shard must acknowledge (default: none).")
    String leaseNamespace;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "qshard.yaml (to check the tier). Default: built in.")
    Path config;

    @Mixin
    KubeconfigOption cluster;

    @Override
    public Integer call() throws Exception {
        QshardConfig cfg = RunCommand.loadConfig(config);
        cfg.tier(tier); // unknown tier: a clear error, nothing touched
        if (shards != null && (shards < 1 || shards > ShardMapView.MAX_SHARDS)) {
            throw new UserError("--shards must be in 1.." + ShardMapView.MAX_SHARDS + ", was " + shards);
        }
        if (maxMoves < 1) {
            throw new UserError("--max-moves must be at least 1, was " + maxMoves);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (KubernetesClient client = ApiserverConnection.open(cluster.resolve(), "qshard-shard-rebalance")) {
            Rebalance r = new Rebalance(
                    client, tier, leaseNamespace.isBlank() ? null : leaseNamespace, Clock.systemUTC(), out);
            Rebalance.Plan first = r.plan(1, 1); // reads and validates the map before anything else
            Rebalance.Plan plan = first.resuming()
                    ? first
                    : r.plan(shards == null ? first.current().shards() : shards, maxMoves);
            r.print(plan);
            if (dryRun) {
                out.println("dry-run: nothing changed");
                out.flush();
                return 0;
            }
            if (!yes && !plan.resuming() && !plan.moves().isEmpty()) {
                out.print("apply? [y/N] ");
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
                    out.println("not applied");
                    out.flush();
                    return 1;
                }
            }
            r.apply(plan, Duration.ofSeconds(timeoutSeconds));
        }
        return 0;
    }
}
