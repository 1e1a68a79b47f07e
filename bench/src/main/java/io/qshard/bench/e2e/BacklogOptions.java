package io.qshard.bench.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags every end-to-end backlog harness shares (picocli mixin), and the fleet they register. */
final class BacklogOptions {
    @Option(names = "--nodes", defaultValue = "1000", description = "Nodes to register (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pods", defaultValue = "5000", description = "Backlog per contender (default: ${DEFAULT-VALUE}).")
    int pods;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description =
                    "Rounds (each contender once per round, order rotated); medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--qshard-launcher",
            defaultValue = "bin/qshard",
            description = "qshard's launcher (its shipped defaults apply).")
    Path launcher;

    @Option(
            names = "--results",
            defaultValue = "bench/RESULTS.md",
            description = "Markdown file whose section is replaced.")
    Path results;

    @Option(
            names = "--timeout",
            defaultValue = "300",
            description = "Seconds to wait for one contender (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--apiserver-profile",
            paramLabel = "DIR",
            description =
                    "Diagnostic: write a 3 s Go CPU profile of the kube-apiserver from each contender's first binding "
                            + "to DIR (read with `go tool pprof -top FILE`; default: none).")
    Path apiserverProfile;

    /** Registers {@link #nodes} nodes of 8 cores / 32Gi named bench-00000…. */
    void registerFleet(KubernetesClient admin) {
        List<Node> fleet = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            fleet.add(NodeFixture.node(String.format("bench-%05d", i))
                    .cpu("8")
                    .memory("32Gi")
                    .build());
        }
        Bulk.create(admin, fleet, 16);
    }
}
