package io.qshard.core.plugins.nodevolumelimits;

import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.catalog;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.pv;
import static io.qshard.core.volume.Volumes.wffc;
import static io.qshard.core.volume.Volumes.withClaims;
import static io.qshard.core.volume.Volumes.withVolumes;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.CsiNodeLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kube-scheduler 1.20's CSI volume limits. Volumes are written {@code driver:handle} ({@code a} = csi-a.example.com,
 * {@code b} = csi-b.example.com); each is a claim bound to a CSI PV of that handle, {@code a:?} an unbound claim of a
 * WaitForFirstConsumer class provisioned by driver a. The node's pods attach the "attached" volumes (one pod each); the
 * new pod asks for the "wanted" ones. Limits: the CSINode's count for driver a, and the node's allocatable
 * {@code attachable-volumes-csi-csi-a.example.com} ("-": none). Over the limit when attached (unique) + wanted not
 * attached yet > limit.
 */
class NodeVolumeLimitsTest {
    private static final String A = "csi-a.example.com";
    private static final String B = "csi-b.example.com";
    private final NodeVolumeLimits plugin = new NodeVolumeLimits();

    @ParameterizedTest(name = "attached [{0}], wanted [{1}], CSINode {2}, allocatable {3} -> {4}")
    @CsvSource(
            delimiter = ';',
            value = {
                "a:1 a:2;   a:3;      2; -; exceed", // 2 + 1 > 2
                "a:1;       a:2;      2; -; ok", // 1 + 1 = 2
                "a:1 a:2;   a:1;      2; -; ok", // a volume the node has already counts once
                "a:1 a:1;   a:2;      2; -; ok", // two pods of one volume: attached once
                "a:1 a:2;   b:1;      2; -; ok", // another driver, without a limit
                "a:1 a:2;   a:3;      -; -; ok", // no limits at all
                "a:1;       a:2;      -; 1; exceed", // the node's allocatable when there is no CSINode
                "a:1;       a:2;      3; 1; ok", // the CSINode overrides the allocatable
                "a:1 a:2;   a:?;      2; -; exceed", // an unbound claim counts under its provisioner
                "a:1;       a:? a:2;  2; -; exceed",
                "a:1 a:2;   a:3;      0; -; exceed",
            })
    void csiAttachLimits(String attached, String wanted, String csiNode, String allocatable, String verdict) {
        List<Object> objects = new ArrayList<>(List.of(wffc("dyn", A)));
        NodeState n = node(allocatable);
        int i = 0;
        for (String v : attached.split(" +")) {
            String c = claimFor(v, objects);
            n = n.reserve(withClaims(pod("holder-" + i++, "prod", 10, 0).build(), c));
        }
        List<String> mine = new ArrayList<>();
        for (String v : wanted.split(" +")) {
            mine.add(claimFor(v, objects));
        }
        if (!csiNode.equals("-")) {
            objects.add(new CsiNodeLimits("n", Map.of(A, Integer.parseInt(csiNode))));
        }
        ClusterSnapshot snap = ClusterSnapshot.empty().with(n).withVolumes(catalog(objects.toArray()));
        PodRequest p = withClaims(pod("p", "prod", 10, 0).build(), mine.toArray(String[]::new));
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, p, snap)).isSameAs(Status.SUCCESS);
        Status s = plugin.filter(state, p, n);
        if (verdict.equals("ok")) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).containsExactly("node(s) exceed max volume count");
            assertThat(s.plugin()).isEqualTo(NodeVolumeLimits.NAME);
        }
    }

    /** The claim for {@code driver:handle}, its PV added to {@code objects} (once). */
    private static String claimFor(String v, List<Object> objects) {
        String[] p = v.split(":");
        String driver = p[0].equals("a") ? A : B;
        if (p[1].equals("?")) {
            String name = "unbound-" + objects.size();
            objects.add(claim("ns", name).storageClass("dyn"));
            return name;
        }
        String name = "c-" + p[0] + p[1];
        if (objects.stream()
                .noneMatch(o -> o instanceof io.qshard.core.volume.Volumes.ClaimBuilder b
                        && b.build().name().equals(name))) {
            objects.add(claim("ns", name).boundTo("pv-" + name));
            objects.add(pv("pv-" + name).csi(driver, p[1]).boundTo("ns", name));
        }
        return name;
    }

    private static NodeState node(String allocatable) {
        Node n = io.qshard.core.testing.Fixtures.node("n", 4000, 8).build();
        if (allocatable.equals("-")) {
            return NodeState.of(n);
        }
        var alloc = n.allocatable()
                .withScalars(ScalarResources.of(Map.of(CsiVolumes.attachLimitKey(A), Long.parseLong(allocatable))));
        return NodeState.of(new Node(n.name(), n.labels(), n.taints(), alloc, alloc, false, Map.of(), Map.of()));
    }

    @Test
    void podsWithoutCsiVolumesSkipTheFilter() {
        ClusterSnapshot snap = ClusterSnapshot.empty()
                .withVolumes(catalog(
                        claim("ns", "local").boundTo("pv-local"), pv("pv-local").boundTo("ns", "local")));
        assertThat(plugin.preFilter(new CycleState(), pod("p", "prod", 10, 0).build(), snap))
                .isSameAs(Status.SKIP);
        assertThat(plugin.preFilter(
                        new CycleState(), withClaims(pod("p", "prod", 10, 0).build(), "local"), snap))
                .isSameAs(Status.SKIP); // bound to a PV that is not CSI
        PodRequest inline = withVolumes(
                pod("p", "prod", 10, 0).build(),
                List.of(new PodVolume("i", PodVolume.Source.CSI_INLINE, null, A, false)));
        assertThat(plugin.preFilter(new CycleState(), inline, snap)).isSameAs(Status.SKIP); // 1.20 counts claims only
    }

    /**
     * An unbound claim of a class whose provisioner is an in-tree plugin csi-translation-lib 1.20 knows is not counted
     * (1.20 counts it only once CSI migration is on, off by default): the pod skips the filter; any other provisioner
     * counts under its own name (the first table's {@code a:?}).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "kubernetes.io/aws-ebs, skip",
        "kubernetes.io/gce-pd, skip",
        "kubernetes.io/azure-disk, skip",
        "kubernetes.io/azure-file, skip",
        "kubernetes.io/cinder, skip",
        "kubernetes.io/vsphere-volume, skip",
        "kubernetes.io/no-provisioner, count", // local volumes' class: not a migratable plugin
        "csi-a.example.com, count",
    })
    void unboundClaimsOfMigratableInTreeProvisionersAreNotCounted(String provisioner, String verdict) {
        ClusterSnapshot snap = ClusterSnapshot.empty()
                .with(NodeState.of(
                        io.qshard.core.testing.Fixtures.node("n", 4000, 8).build()))
                .withVolumes(
                        catalog(wffc("cls", provisioner), claim("ns", "data").storageClass("cls")));
        Status s = plugin.preFilter(
                new CycleState(), withClaims(pod("p", "prod", 10, 0).build(), "data"), snap);
        assertThat(s).isSameAs(verdict.equals("skip") ? Status.SKIP : Status.SUCCESS);
    }

    @Test
    void attachLimitKeysAsKubeNamesThem() {
        assertThat(CsiVolumes.attachLimitKey("ebs.csi.aws.com")).isEqualTo("attachable-volumes-csi-ebs.csi.aws.com");
        // 23 + 40 = 63 characters or more: the first 23 characters and 16 hex digits of the name's SHA-1
        String longName = "a-very-long-driver-name.storage.example.com"; // 43 characters
        assertThat(CsiVolumes.attachLimitKey(longName))
                .hasSize(23 + 23 + 16)
                .isEqualTo("attachable-volumes-csi-a-very-long-driver-name" + sha1Prefix(longName));
    }

    private static String sha1Prefix(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte x : d) {
                hex.append(String.format("%02x", x));
            }
            return hex.substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
