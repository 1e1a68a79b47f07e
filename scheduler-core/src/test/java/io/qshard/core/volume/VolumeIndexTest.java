package io.qshard.core.volume;

import static io.qshard.core.testing.Fixtures.pod;
import static io.qshard.core.volume.Volumes.claim;
import static io.qshard.core.volume.Volumes.pv;
import static io.qshard.core.volume.Volumes.withClaims;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeIndexTest {
    private final VolumeIndex index = new VolumeIndex();

    @Test
    void aPublishedCatalogNeverChangesAndIsReusedUntilSomethingDoes() {
        index.upsertClaim(claim("ns", "a").build());
        VolumeCatalog first = index.catalog();
        assertThat(index.catalog()).isSameAs(first);
        assertThat(index.upsertClaim(claim("ns", "a").build())).isFalse(); // the same claim again: nothing changed
        assertThat(index.catalog()).isSameAs(first);

        assertThat(index.upsertClaim(claim("ns", "b").build())).isTrue();
        assertThat(index.deleteClaim("ns", "a")).isTrue();
        VolumeCatalog second = index.catalog();
        assertThat(second).isNotSameAs(first);
        assertThat(first.claim("ns", "a")).isNotNull(); // the old catalog still shows what it showed
        assertThat(first.claim("ns", "b")).isNull();
        assertThat(second.claim("ns", "a")).isNull();
        assertThat(second.claim("ns", "b")).isNotNull();
        assertThat(index.deleteClaim("ns", "a")).isFalse();
    }

    @Test
    void aBurstOfClaimsBetweenTwoCatalogsKeepsEveryOne() {
        // 1,000 claims as a StatefulSet creates them, a catalog taken every 10: every catalog sees exactly its prefix
        for (int i = 0; i < 1000; i++) {
            index.upsertClaim(claim("ns", "data-" + i).build());
            if (i % 10 == 9) {
                VolumeCatalog c = index.catalog();
                assertThat(c.claim("ns", "data-" + i)).isNotNull();
                assertThat(c.claim("ns", "data-" + (i + 1))).isNull();
            }
        }
        VolumeCatalog all = index.catalog();
        for (int i = 0; i < 1000; i++) {
            assertThat(all.claim("ns", "data-" + i)).as("data-" + i).isNotNull();
        }
    }

    @Test
    void anAssumedBindingReadsAsPreBoundUntilForgottenOrConfirmed() {
        VolumeClaim a = claim("ns", "a").storageClass("local").build();
        PersistentVolume pv1 = pv("pv-1").storageClass("local").on("n1").build();
        index.upsertClaim(a);
        index.upsertVolume(pv1);
        VolumeDecision d = new VolumeDecision("p", "n1", List.of(new VolumeDecision.Binding(pv1, a)), List.of());

        index.assume(d);
        assertThat(index.catalog().volume("pv-1").claimRef())
                .isEqualTo(new PersistentVolume.ClaimRef("ns", "a", "uid-a"));
        index.forget(d);
        assertThat(index.catalog().volume("pv-1").claimRef()).isNull();

        index.assume(d);
        // an unrelated update (still no claimRef) keeps the assumption …
        index.upsertVolume(
                pv("pv-1").storageClass("local").on("n1").label("x", "y").build());
        assertThat(index.catalog().volume("pv-1").claimRef()).isNotNull();
        // … the API's own claimRef replaces it, and a late forget changes nothing
        index.upsertVolume(
                pv("pv-1").storageClass("local").on("n1").boundTo("ns", "a").build());
        index.forget(d);
        assertThat(index.catalog().volume("pv-1").claimRef())
                .isEqualTo(new PersistentVolume.ClaimRef("ns", "a", "uid-a"));
        assertThat(index.catalog().volume("pv-1").phase()).isEqualTo("Bound");
    }

    @Test
    void anAssumedProvisioningReadsAsTheSelectedNodeUntilTheClaimShowsOne() {
        VolumeClaim a = claim("ns", "a").storageClass("dyn").build();
        index.upsertClaim(a);
        VolumeDecision d = new VolumeDecision("p", "n2", List.of(), List.of(a));
        index.assume(d);
        assertThat(index.catalog().claim("ns", "a").selectedNode()).isEqualTo("n2");
        index.upsertClaim(
                claim("ns", "a").storageClass("dyn").selectedNode("n2").build());
        index.forget(d); // confirmed meanwhile: nothing to undo
        assertThat(index.catalog().claim("ns", "a").selectedNode()).isEqualTo("n2");
        index.upsertClaim(a); // the provisioner gave up: it removed the annotation
        assertThat(index.catalog().claim("ns", "a").selectedNode()).isNull();
    }

    @Test
    void claimUsersCountPlacedPodsOnce() {
        PodRequest p = withClaims(pod("p", "prod", 100, 1).build(), "a", "a", "b");
        PodRequest q = withClaims(pod("q", "prod", 100, 1).build(), "a");
        assertThat(index.podPlaced(p)).isTrue();
        assertThat(index.podPlaced(p)).isFalse(); // counted already
        assertThat(index.podPlaced(q)).isTrue();
        assertThat(index.podPlaced(pod("plain", "prod", 100, 1).build())).isFalse();
        assertThat(index.catalog().claimUsers("ns", "a")).isEqualTo(2); // p mounts it twice, counted once
        assertThat(index.catalog().claimUsers("ns", "b")).isEqualTo(1);
        assertThat(index.podRemoved("p")).isTrue();
        assertThat(index.podRemoved("p")).isFalse();
        assertThat(index.catalog().claimUsers("ns", "a")).isEqualTo(1);
        assertThat(index.catalog().claimUsers("ns", "b")).isZero();
    }

    @Test
    void csiLimitsApplyOnlyWhileCsiNodesAreListed() {
        index.csiNode("n1", new CsiNodeLimits("n1", java.util.Map.of("csi.example.com", 2)));
        assertThat(index.catalog().csiNode("n1")).isNull(); // WAITING
        index.sources(VolumeSources.READY);
        assertThat(index.catalog().csiNode("n1").limits()).containsEntry("csi.example.com", 2);
        index.sources(VolumeSources.READY.withCsiNodes(VolumeSources.State.UNSERVED));
        assertThat(index.catalog().csiNode("n1")).isNull();
    }
}
