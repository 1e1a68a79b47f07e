package io.qshard.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.Bulk;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's nodes: API objects without kubelets (the simulator plays them), three shapes — 8 cores / 32Gi,
 * 16 / 64Gi, 32 / 128Gi — over two zones, labelled {@link DemoCluster#DEMO_LABEL}. Stateless.
 */
public final class DemoFleet {
    private DemoFleet() {}

    /** Node {@code i}: 8 &lt;&lt; (i mod 3) cores, 4Gi per core. */
    public static Node node(int i) {
        int size = 8 << (i % 3);
        return NodeFixture.node(name(i))
                .cpu(Integer.toString(size))
                .memory((size * 4) + "Gi")
                .label(DemoCluster.DEMO_LABEL, "true")
                .label("topology.kubernetes.io/zone", i % 2 == 0 ? "zone-a" : "zone-b")
                .build();
    }

    /** The name of node {@code i}. */
    public static String name(int i) {
        return String.format(java.util.Locale.ROOT, "demo-node-%03d", i);
    }

    /** The names of the first {@code n} nodes, in index order. */
    public static List<String> names(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(name(i));
        }
        return names;
    }

    /** Σ cores of the first {@code n} nodes. */
    public static long cores(int n) {
        long c = 0;
        for (int i = 0; i < n; i++) {
            c += 8L << (i % 3);
        }
        return c;
    }

    /** Registers {@code n} nodes, 16 writes in flight. */
    public static void register(KubernetesClient client, int n) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(node(i));
        }
        Bulk.create(client, nodes, 16);
    }
}
