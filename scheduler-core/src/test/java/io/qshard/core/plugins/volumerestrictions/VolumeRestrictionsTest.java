package io.qshard.core.plugins.volumerestrictions;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.catalog;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.withClaims;
import static io.qshard.core.volume.Volumes.withVolumes;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.VolumeSources;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kube-scheduler 1.20's disk conflicts. A volume is written {@code source:disk[:ro]} — {@code gce} (GCE PD name),
 * {@code ebs} (EBS volume ID), {@code iscsi} (IQN), {@code rbd} (pool/image@monitors, as the decoder writes it); {@code :ro} mounted read-only. One pod on
 * the node holds the first volume, the new pod asks for the second. GCE PD, iSCSI and RBD conflict on the same disk
 * unless both are read-only; EBS always conflicts on the same volume.
 */
class VolumeRestrictionsTest {
    private final VolumeRestrictions plugin = new VolumeRestrictions();

    private static PodVolume volume(String spec) {
        String[] p = spec.split(":");
        PodVolume.Source source = switch (p[0]) {
            case "gce" -> PodVolume.Source.GCE_PD;
            case "ebs" -> PodVolume.Source.AWS_EBS;
            case "iscsi" -> PodVolume.Source.ISCSI;
            case "rbd" -> PodVolume.Source.RBD;
            default -> throw new IllegalArgumentException(spec);
        };
        return new PodVolume("v", source, null, p[1], p.length > 2 && p[2].equals("ro"));
    }

    @ParameterizedTest(name = "node holds {0}, pod wants {1} -> {2}")
    @CsvSource({
        "gce:d1,       gce:d1,       conflict",
        "gce:d1:ro,    gce:d1:ro,    ok", // both read-only
        "gce:d1:ro,    gce:d1,       conflict",
        "gce:d1,       gce:d2,       ok",
        "ebs:v1:ro,    ebs:v1:ro,    conflict", // EBS: read-only does not help
        "ebs:v1,       ebs:v2,       ok",
        "iscsi:iqn.a,  iscsi:iqn.a,  conflict",
        "iscsi:iqn.a:ro, iscsi:iqn.a:ro, ok",
        "rbd:p/img@m1,    rbd:p/img@m1,    conflict",
        "rbd:p/img@m1:ro, rbd:p/img@m1:ro, ok",
        "rbd:p/img@m1,    rbd:q/img@m1,    ok",
        "'rbd:p/img@m1,m2', 'rbd:p/img@m2,m3', conflict", // the monitor lists overlap (m2)
        "rbd:p/img@m1,    rbd:p/img@m2,    ok", // another Ceph cluster: 1.20's haveOverlap is false
        "rbd:p/img@,      rbd:p/img@,      ok", // no monitors, no overlap
        "rbd:p/img@m1,    rbd:p/im@m1,     ok",
        "gce:d1,       ebs:d1,       ok", // different sources never conflict
    })
    void diskConflicts(String held, String wanted, String verdict) {
        NodeState n = node("n", 4000, 8)
                .state()
                .reserve(withVolumes(pod("holder", "prod", 10, 0).build(), List.of(volume(held))));
        PodRequest p = withVolumes(pod("p", "prod", 10, 0).build(), List.of(volume(wanted)));
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, p, ClusterSnapshot.empty().with(n))).isSameAs(Status.SUCCESS);
        Status s = plugin.filter(state, p, n);
        if (verdict.equals("ok")) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).containsExactly("node(s) had no available disk");
        }
        assertThat(plugin.filter(state, p, node("empty", 4000, 8).state())).isSameAs(Status.SUCCESS);
    }

    @Test
    void podsWithoutDisksOrReadWriteOncePodClaimsSkipTheFilter() {
        ClusterSnapshot snap = ClusterSnapshot.empty().withVolumes(catalog(claim("ns", "rwo")));
        assertThat(plugin.preFilter(new CycleState(), pod("p", "prod", 10, 0).build(), snap))
                .isSameAs(Status.SKIP);
        assertThat(plugin.preFilter(
                        new CycleState(), withClaims(pod("p", "prod", 10, 0).build(), "rwo", "gone"), snap))
                .isSameAs(Status.SKIP); // a missing claim is VolumeBinding's to report
    }

    /**
     * ReadWriteOncePod (API 1.22+; kube-scheduler 1.27's rule, 1.20 does not serve the mode): once a placed pod — on
     * any node, of any shard — uses the claim, a second pod fits no node until the first is gone.
     */
    @Test
    void aReadWriteOncePodClaimInUseFitsNoNode() {
        ClusterState state = new ClusterState();
        state.volumeSources(VolumeSources.READY);
        state.upsertNode(node("n1", 4000, 8).build());
        state.upsertNode(node("n2", 4000, 8).build());
        state.upsertClaim(claim("ns", "solo").modes("ReadWriteOncePod").build());
        PodRequest second = withClaims(pod("second", "prod", 10, 0).build(), "solo");
        assertThat(plugin.preFilter(new CycleState(), second, state.snapshot())).isSameAs(Status.SKIP);

        state.upsertPod(withClaims(pod("first", "prod", 10, 0).build(), "solo").boundTo("elsewhere"));
        CycleState cycle = new CycleState();
        ClusterSnapshot snap = state.snapshot();
        assertThat(plugin.preFilter(cycle, second, snap)).isSameAs(Status.SUCCESS);
        for (int i = 0; i < snap.size(); i++) {
            Status s = plugin.filter(cycle, second, snap.node(i));
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons())
                    .containsExactly("node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod "
                            + "access mode");
        }

        state.removePod("first");
        assertThat(plugin.preFilter(new CycleState(), second, state.snapshot())).isSameAs(Status.SKIP);
    }
}
