package io.qshard.cli.parity2;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit behind {@code MixedBacklogAuditIT} finds each kind of violation, and none where there is none. */
class BacklogAuditTest {
    private static final String NS = "ns";
    private static final List<Node> NODES = MixedBacklog.nodes(); // mb-00: 2 GPUs; mb-10: CSI limit 2
    private static final List<CSINode> CSI = MixedBacklog.csiNodes();

    private static Pod on(String node, String name, PodShape s) {
        return ShapePods.build(s, name, NS, "qshard-prod", null, node, null);
    }

    private static List<String> audit(List<Pod> pods) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        List<PersistentVolume> volumes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            claims.add(StorageObjects.claim(NS, "vol-" + i, "", MixedBacklog.volumeName(NS, i)));
            volumes.add(StorageObjects.csiPv(MixedBacklog.volumeName(NS, i), "", "h" + i, null));
            volumes.get(i).getSpec().getCsi().setDriver(MixedBacklog.DRIVER);
        }
        return BacklogAudit.violations(NODES, pods, claims, volumes, CSI);
    }

    @Test
    void acceptsPodsWithinEveryLimit() {
        assertThat(audit(List.of(
                        on("mb-00", "g1", PodShape.existing().plus(ResourceCluster.GPU, "2")),
                        on("mb-00", "p1", PodShape.existing().hostPort("10.0.0.1", "TCP", 80)),
                        on("mb-00", "p2", PodShape.existing().hostPort("10.0.0.2", "TCP", 80)),
                        on("mb-00", "p3", PodShape.existing().hostPort("", "UDP", 80)),
                        on("mb-10", "v1", PodShape.existing().claim("vol-0").claim("vol-1")),
                        on("mb-10", "v2", PodShape.existing().claim("vol-1")),
                        on("mb-01", "c1", PodShape.cores(16)))))
                .isEmpty();
    }

    @Test
    void findsExtendedResourcesPortsVolumesAndCpuOverTheirLimits() {
        assertThat(audit(List.of(
                        on("mb-00", "g1", PodShape.existing().plus(ResourceCluster.GPU, "2")),
                        on("mb-00", "g2", PodShape.existing().plus(ResourceCluster.GPU, "1")),
                        on("mb-06", "g3", PodShape.existing().plus(ResourceCluster.GPU, "1")),
                        on("mb-01", "p1", PodShape.existing().hostPort("", "TCP", 80)),
                        on("mb-01", "p2", PodShape.existing().hostPort("10.0.0.2", "TCP", 80)),
                        on("mb-10", "v1", PodShape.existing().claim("vol-0").claim("vol-1")),
                        on("mb-10", "v2", PodShape.existing().claim("vol-2")),
                        on("mb-02", "c1", PodShape.cores(8).init("cpu", "17", "memory", "1Gi")))))
                .containsExactlyInAnyOrder(
                        "mb-00: example.com/gpu requested 3 > allocatable 2",
                        "mb-01: host port TCP 80 of p2 (10.0.0.2) conflicts with p1 (0.0.0.0)",
                        "mb-02: cpu requested 17 > allocatable 16",
                        "mb-06: example.com/gpu requested 1 > allocatable 0",
                        "mb-10: 3 volumes of csi.audit.example.com attached > limit 2");
    }
}
