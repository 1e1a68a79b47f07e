package io.qshard.core.plugins.volumezone;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.catalog;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.immediate;
import static io.qshard.core.volume.Volumes.pv;
import static io.qshard.core.volume.Volumes.wffc;
import static io.qshard.core.volume.Volumes.withClaims;
import static io.qshard.core.volume.Volumes.withVolumes;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kube-scheduler 1.20's VolumeZone. The pod's claim "data" is bound to PV "pv" whose labels are given as
 * comma-separated {@code key=value} pairs ({@code zone} = topology.kubernetes.io/zone, {@code region} = topology.kubernetes.io/region,
 * {@code beta-zone} = failure-domain.beta.kubernetes.io/zone); the node's labels likewise. A zone-labelled node fits
 * when, for every zone label of the PV, the node's value of that label (empty when it has none) is one of the PV's
 * {@code "__"}-separated values.
 */
class VolumeZoneTest {
    private final VolumeZone plugin = new VolumeZone();

    private static String key(String shortKey) {
        return switch (shortKey) {
            case "zone" -> "topology.kubernetes.io/zone";
            case "region" -> "topology.kubernetes.io/region";
            case "beta-zone" -> "failure-domain.beta.kubernetes.io/zone";
            default -> shortKey;
        };
    }

    @ParameterizedTest(name = "PV [{0}], node [{1}] -> {2}")
    @CsvSource(
            delimiter = ';',
            value = {
                "zone=a;                 zone=a;                ok",
                "zone=a;                 zone=b;                conflict",
                "zone=a__b;              zone=b;                ok", // a PV in several zones
                "'zone=a__ b ';          zone=b;                ok", // each part trimmed
                "zone=a__;               zone=b;                skip", // an empty zone: the label is ignored
                "zone=a;                 other=x;               ok", // a node without zone labels fits anything
                "zone=a;                 region=r;              conflict", // zoned node without the PV's label: ""
                "zone=a,region=r;        zone=a,region=r;       ok",
                "zone=a,region=r;        zone=a,region=s;       conflict",
                "beta-zone=a;            beta-zone=a,zone=b;    ok", // labels compared key by key
                "beta-zone=a;            zone=a;                conflict",
                "other=x;                zone=a;                skip", // no zone label on the PV: nothing to check
            })
    void boundPvZones(String pvLabels, String nodeLabels, String verdict) {
        var pvb = pv("pv").boundTo("ns", "data");
        for (String kv : pvLabels.split(",")) {
            String[] p = kv.split("=", 2);
            pvb.label(key(p[0]), p[1]);
        }
        var nb = node("n", 1000, 1);
        for (String kv : nodeLabels.split(",")) {
            String[] p = kv.split("=", 2);
            nb.label(key(p[0]), p[1]);
        }
        NodeState n = nb.state();
        ClusterSnapshot snap = ClusterSnapshot.empty()
                .with(n)
                .withVolumes(catalog(claim("ns", "data").boundTo("pv"), pvb));
        PodRequest p = withClaims(pod("p", "prod", 100, 1).build(), "data");
        CycleState state = new CycleState();
        Status pre = plugin.preFilter(state, p, snap);
        if (verdict.equals("skip")) {
            assertThat(pre).isSameAs(Status.SKIP);
            return;
        }
        assertThat(pre).isSameAs(Status.SUCCESS);
        Status s = plugin.filter(state, p, n);
        if (verdict.equals("ok")) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNRESOLVABLE);
            assertThat(s.reasons()).containsExactly("node(s) had no available volume zone");
            assertThat(s.plugin()).isEqualTo(VolumeZone.NAME);
        }
    }

    @Test
    void zoneValuesSplitAsKubesLabelZonesToSet() {
        assertThat(VolumeZone.zones("a")).containsExactly("a");
        assertThat(VolumeZone.zones("a__b__c")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(VolumeZone.zones(" a __b")).isEqualTo(Set.of("a", "b"));
        assertThat(VolumeZone.zones("")).isNull();
        assertThat(VolumeZone.zones("a____b")).isNull();
    }

    @Test
    void unboundWaitForFirstConsumerClaimsAndOtherVolumesAreSkipped() {
        ClusterSnapshot snap = ClusterSnapshot.empty()
                .withVolumes(catalog(
                        wffc("local", "kubernetes.io/no-provisioner"),
                        claim("ns", "data").storageClass("local")));
        assertThat(plugin.preFilter(
                        new CycleState(), withClaims(pod("p", "prod", 100, 1).build(), "data"), snap))
                .isSameAs(Status.SKIP);
        PodRequest disk = withVolumes(
                pod("p", "prod", 100, 1).build(),
                List.of(new PodVolume("d", PodVolume.Source.GCE_PD, null, "disk-1", false)));
        assertThat(plugin.preFilter(new CycleState(), disk, snap)).isSameAs(Status.SKIP);
        assertThat(plugin.preFilter(new CycleState(), pod("p", "prod", 100, 1).build(), snap))
                .isSameAs(Status.SKIP);
    }

    @Test
    void whatKubeReportsAsAnErrorIsAnErrorOnZonedNodesOnly() {
        ClusterSnapshot snap = ClusterSnapshot.empty()
                .withVolumes(catalog(
                        immediate("fast", "csi.example.com"),
                        claim("ns", "data").storageClass("fast")));
        PodRequest p = withClaims(pod("p", "prod", 100, 1).build(), "data", "gone");
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, p, snap)).isSameAs(Status.SUCCESS);
        assertThat(plugin.filter(state, p, node("plain", 1000, 1).state())).isSameAs(Status.SUCCESS);
        Status s = plugin.filter(
                state,
                p,
                node("zoned", 1000, 1).label("topology.kubernetes.io/zone", "a").state());
        assertThat(s.code()).isEqualTo(Status.Code.ERROR);
        assertThat(s.reasons()).containsExactly("PersistentVolume had no name"); // the first volume's error
    }
}
