package io.qshard.cli.parity;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.util.List;

/**
 * The fixture cluster every case runs on: nine API-only nodes, eight in three zones and one without a zone label,
 * of deliberately different sizes (4 GiB memory per core everywhere, so every pod — also sized 4 GiB per core — is
 * balanced and only the free share separates nodes). For a 4-core probe the resource score alone ranks them
 * c2 93 · c1 87 · nz 84 · b3 80 · a3 75 · b2 71 · a2 66 · b1 60 · a1 50 (LeastAllocated, truncated as kube-scheduler
 * does), so resource scoring alone always picks {@link #C2}.
 *
 * <p>Every node carries the taint {@code qshard.io/parity-node=<name>:NoSchedule}. A probe is pinned to one node by
 * tolerating only that node's taint — not by a node selector, which would shrink the probe's topology-spread domains
 * to that one node (kube-scheduler counts spread domains over the nodes passing the pod's node selector and affinity,
 * but ignores taints in 1.20). Unpinned probes tolerate the key on every node. The taint also keeps pods of other test
 * classes sharing the control plane off these nodes.
 */
public final class ParityCluster {
    static final String A1 = "tp-a1";
    static final String A2 = "tp-a2";
    static final String A3 = "tp-a3";
    static final String B1 = "tp-b1";
    static final String B2 = "tp-b2";
    static final String B3 = "tp-b3";
    static final String C1 = "tp-c1";
    static final String C2 = "tp-c2";
    /** The node without a zone label. */
    static final String NZ = "tp-nz";

    static final String ZONE_A = "zone-a";
    static final String ZONE_B = "zone-b";
    static final String ZONE_C = "zone-c";
    public static final String PIN_TAINT = "qshard.io/parity-node";

    /** A fixture node: name, zone (null: no zone label), cores (memory 4 GiB per core). */
    record FixtureNode(String name, String zone, int cores) {}

    static final List<FixtureNode> NODES = List.of(
            new FixtureNode(A1, ZONE_A, 8),
            new FixtureNode(A2, ZONE_A, 12),
            new FixtureNode(A3, ZONE_A, 16),
            new FixtureNode(B1, ZONE_B, 10),
            new FixtureNode(B2, ZONE_B, 14),
            new FixtureNode(B3, ZONE_B, 20),
            new FixtureNode(C1, ZONE_C, 32),
            new FixtureNode(C2, ZONE_C, 64),
            new FixtureNode(NZ, null, 25));

    /** Every fixture node's name, in {@link #NODES} order. */
    static final List<String> NAMES = NODES.stream().map(FixtureNode::name).toList();

    private ParityCluster() {}

    /** Creates the nine nodes. */
    static void create(KubernetesClient admin) {
        for (FixtureNode n : NODES) {
            NodeFixture f = NodeFixture.node(n.name())
                    .cpu(Integer.toString(n.cores()))
                    .memory((4 * n.cores()) + "Gi")
                    .taint(PIN_TAINT, n.name(), "NoSchedule");
            if (n.zone() != null) {
                f.label(Shape.ZONE, n.zone());
            }
            admin.resource(f.build()).create();
        }
    }

    /** Deletes the nine nodes (the classes after this one start without them). */
    static void delete(KubernetesClient admin) {
        for (String name : NAMES) {
            admin.nodes().withName(name).delete();
        }
    }

    /** The toleration that pins a probe to {@code node}. */
    public static Toleration pinTo(String node) {
        return new TolerationBuilder()
                .withKey(PIN_TAINT)
                .withOperator("Equal")
                .withValue(node)
                .withEffect("NoSchedule")
                .build();
    }

    /** The toleration that lets a probe onto every fixture node. */
    public static Toleration anyNode() {
        return new TolerationBuilder()
                .withKey(PIN_TAINT)
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build();
    }
}
