package io.qshard.shard.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import io.fabric8.kubernetes.api.model.Node;
import io.qshard.localcluster.fixtures.NodeFixture;
import io.qshard.shard.demo.DemoCluster;
import io.qshard.shard.demo.NodeTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qshard demo}: the README's first command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the qshard demo on a local control plane it starts itself.",
                "Starts etcd + kube-apiserver on loopback, registers simulated nodes, shows them, and tears everything down."})
public final class DemoCommand implements Callable<Integer> {
    /** Default number of simulated nodes. */
    public static final int DEFAULT_NODES = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Run on this existing cluster instead of starting a local control plane; "
                    + "the demo's nodes (label qshard.io/demo) are removed again at the end.")
    Path kubeconfig;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "" + DEFAULT_NODES,
            description = "Simulated nodes to register (1..5000, default: ${DEFAULT-VALUE}).")
    int nodes;

    @Override
    public Integer call() {
        if (nodes < 1 || nodes > 5000) {
            throw new ParameterException(spec.commandLine(), "--nodes must be between 1 and 5000, was " + nodes);
        }
        PrintStream out = System.out;
        try (DemoCluster cluster = kubeconfig == null ? DemoCluster.local(out, false) : DemoCluster.external(kubeconfig)) {
            out.printf("Registering %d nodes (API objects, no kubelet)...%n", nodes);
            for (int i = 0; i < nodes; i++) {
                cluster.client().nodes().resource(demoNode(i)).create();
            }
            List<Node> registered = cluster.client().nodes().withLabel(DemoCluster.DEMO_LABEL).list().getItems();
            out.println();
            out.print(NodeTable.render(registered, Instant.now()));
            out.println();
            out.println("Tearing down" + (cluster.isLocal() ? " the local control plane..." : ": removing the demo's nodes..."));
        }
        out.println("Done.");
        return 0;
    }

    /** Three node shapes, two zones: 8c/32Gi, 16c/64Gi, 32c/128Gi. */
    static Node demoNode(int i) {
        int size = 8 << (i % 3);
        return NodeFixture.node(String.format("demo-node-%03d", i))
                .cpu(Integer.toString(size)).memory((size * 4) + "Gi")
                .label(DemoCluster.DEMO_LABEL, "true")
                .label("topology.kubernetes.io/zone", i % 2 == 0 ? "zone-a" : "zone-b")
                .build();
    }
}
