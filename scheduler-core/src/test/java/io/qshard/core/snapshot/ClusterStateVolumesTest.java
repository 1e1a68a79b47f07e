package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.pv;
import static io.qshard.core.volume.Volumes.withClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.core.volume.VolumeSources;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateVolumesTest {
    private final ClusterState state = new ClusterState();

    @Test
    void volumeEventsPublishANewSnapshotThatSharesEveryNodeState() {
        state.upsertNode(node("n1", 1000, 1).build());
        ClusterSnapshot before = state.snapshot();
        state.volumeSources(VolumeSources.READY);
        state.upsertClaim(claim("ns", "a").build());
        state.upsertVolume(pv("pv-1").build());
        ClusterSnapshot after = state.snapshot();
        assertThat(after).isNotSameAs(before);
        assertThat(after.generation()).isGreaterThan(before.generation());
        assertThat(after.node(0)).isSameAs(before.node(0)); // decision windows of pods without volumes stay valid
        assertThat(after.volumes().claim("ns", "a")).isNotNull();
        assertThat(after.volumes().volume("pv-1")).isNotNull();
        assertThat(before.volumes().claim("ns", "a")).isNull();

        state.upsertClaim(claim("ns", "a").build()); // nothing new
        assertThat(state.snapshot()).isSameAs(after);
        state.deleteClaim("ns", "a");
        state.deleteVolume("pv-1");
        assertThat(state.snapshot().volumes().claim("ns", "a")).isNull();
        assertThat(state.snapshot().volumes().volume("pv-1")).isNull();
    }

    @Test
    void placedPodsCountAsUsersOfTheirClaimsUntilTheyGoOrArePendingAgain() {
        state.upsertNode(node("n1", 1000, 1).build());
        PodRequest p = withClaims(pod("p", "prod", 100, 1).build(), "a");
        state.assume(p, "n1");
        assertThat(state.snapshot().volumes().claimUsers("ns", "a")).isEqualTo(1);
        state.upsertPod(p.boundTo("n1")); // confirmed: still one
        assertThat(state.snapshot().volumes().claimUsers("ns", "a")).isEqualTo(1);
        state.upsertPod(p); // pending again (no node)
        assertThat(state.snapshot().volumes().claimUsers("ns", "a")).isZero();
        state.upsertPod(p.boundTo("elsewhere")); // on a node another shard holds: the cluster-wide count has it
        assertThat(state.snapshot().volumes().claimUsers("ns", "a")).isEqualTo(1);
        state.removePod("p");
        assertThat(state.snapshot().volumes().claimUsers("ns", "a")).isZero();
    }

    @Test
    void assumedVolumesShowInTheNextSnapshotUntilForgotten() {
        VolumeClaim a = claim("ns", "a").storageClass("dyn").build();
        state.upsertClaim(a);
        VolumeDecision d = new VolumeDecision("p", "n1", List.of(), List.of(a));
        state.assumeVolumes(d);
        assertThat(state.snapshot().volumes().claim("ns", "a").selectedNode()).isEqualTo("n1");
        state.forgetVolumes(d);
        assertThat(state.snapshot().volumes().claim("ns", "a").selectedNode()).isNull();
    }
}
