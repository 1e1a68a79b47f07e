package io.qshard.cli.parity2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.cli.parity.ParityCluster;
import io.qshard.localcluster.fixtures.NodeFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixture cluster of {@code ResourceParityIT}: five API-only nodes of different sizes (4 GiB memory per core
 * everywhere, like every pod of the cases, so only the free share separates nodes: for a pod of the same shape the
 * resource scores rank them a · b · c · d · e), with these extras in their status (capacity = allocatable):
 *
 * <pre>
 * node  cores  example.com/gpu  ephemeral-storage  hugepages-2Mi  zone    kubernetes.io/hostname
 * rp-a  64     -                200Gi              2Gi            zone-a  rp-a
 * rp-b  32     2                100Gi              -              zone-a  rp-b
 * rp-c  16     1                40Gi               512Mi          zone-b  rp-c
 * rp-d  8      -                (none)             -              zone-b  rp-d
 * rp-e  4      -                10Gi               -              zone-c  rp-e-host (differs from its name)
 * </pre>
 *
 * Every node carries the issue-20 pinning taint ({@link ParityCluster#PIN_TAINT}{@code =<name>:NoSchedule}): a probe
 * is pinned by tolerating only that node's taint ({@link ParityCluster#pinTo}). TaintToleration runs before every
 * filter these cases are about and taints appear in no PV node affinity or zone rule, so pinning changes no outcome on
 * the pinned node.
 */
final class ResourceCluster {
    static final String A = "rp-a";
    static final String B = "rp-b";
    static final String C = "rp-c";
    static final String D = "rp-d";
    static final String E = "rp-e";
    /** rp-e's {@code kubernetes.io/hostname} label: not its name. */
    static final String E_HOSTNAME = "rp-e-host";

    static final String GPU = "example.com/gpu";
    static final String EPHEMERAL = "ephemeral-storage";
    static final String HUGEPAGES = "hugepages-2Mi";
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /** A fixture node: name, hostname label, zone, cores, and its extra allocatable resources. */
    record FixtureNode(String name, String hostname, String zone, int cores, Map<String, String> extra) {}

    static final List<FixtureNode> NODES = List.of(
            new FixtureNode(A, A, "zone-a", 64, Map.of(EPHEMERAL, "200Gi", HUGEPAGES, "2Gi")),
            new FixtureNode(B, B, "zone-a", 32, Map.of(GPU, "2", EPHEMERAL, "100Gi")),
            new FixtureNode(C, C, "zone-b", 16, Map.of(GPU, "1", EPHEMERAL, "40Gi", HUGEPAGES, "512Mi")),
            new FixtureNode(D, D, "zone-b", 8, Map.of()),
            new FixtureNode(E, E_HOSTNAME, "zone-c", 4, Map.of(EPHEMERAL, "10Gi")));

    static final List<String> NAMES = NODES.stream().map(FixtureNode::name).toList();

    private ResourceCluster() {}

    static FixtureNode node(String name) {
        return NODES.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Creates the five nodes, status included (the apiserver keeps a node's status on create), and checks that the
     * apiserver stored the extra resources.
     */
    static void create(KubernetesClient admin) {
        for (FixtureNode n : NODES) {
            Node base = NodeFixture.node(n.name())
                    .cpu(Integer.toString(n.cores()))
                    .memory((4 * n.cores()) + "Gi")
                    .label(HOSTNAME, n.hostname())
                    .label(ZONE, n.zone())
                    .taint(ParityCluster.PIN_TAINT, n.name(), "NoSchedule")
                    .build();
            Map<String, Quantity> resources =
                    new LinkedHashMap<>(base.getStatus().getAllocatable());
            n.extra().forEach((k, v) -> resources.put(k, new Quantity(v)));
            admin.resource(new NodeBuilder(base)
                            .editStatus()
                            .withCapacity(resources)
                            .withAllocatable(new LinkedHashMap<>(resources))
                            .endStatus()
                            .build())
                    .create();
            Map<String, Quantity> stored =
                    admin.nodes().withName(n.name()).get().getStatus().getAllocatable();
            assertThat(stored.keySet())
                    .as("allocatable of %s as stored", n.name())
                    .containsAll(n.extra().keySet());
        }
    }

    /** Deletes the five nodes. */
    static void delete(KubernetesClient admin) {
        for (String name : NAMES) {
            admin.nodes().withName(name).delete();
        }
    }
}
