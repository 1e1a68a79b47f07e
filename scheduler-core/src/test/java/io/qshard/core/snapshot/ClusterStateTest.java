package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
    private final ClusterState state = new ClusterState();

    @Test
    void assumeThenConfirmCountsOnce() {
        state.upsertNode(node("n1", 4000, 16).build());
        PodRequest p = pod("p", "prod", 1000, 1).build();
        state.assume(p, "n1");
        state.upsertPod(p.boundTo("n1")); // the informer confirms the binding
        assertThat(state.snapshot().node("n1").orElseThrow().requested().milliCpu())
                .isEqualTo(1000);
        assertThat(state.accountedPods()).isEqualTo(1);
    }

    @Test
    void podBoundElsewhereMovesAndForgetUndoes() {
        state.upsertNode(node("n1", 4000, 16).build());
        state.upsertNode(node("n2", 4000, 16).build());
        PodRequest p = pod("p", "prod", 1000, 1).build();
        state.assume(p, "n1");
        state.upsertPod(p.boundTo("n2"));
        assertThat(state.snapshot().node("n1").orElseThrow().podCount()).isZero();
        assertThat(state.snapshot().node("n2").orElseThrow().podCount()).isEqualTo(1);
        state.removePod("p");
        assertThat(state.snapshot().node("n2").orElseThrow().requested().milliCpu())
                .isZero();
        assertThat(state.nodeOf("p")).isEmpty();
    }

    @Test
    void podsOfAnUnknownNodeAttachWhenItArrivesAndSurviveItsRemoval() {
        state.upsertPod(pod("p", "prod", 1000, 1).build().boundTo("late"));
        assertThat(state.snapshot().size()).isZero();
        state.upsertNode(node("late", 4000, 16).build());
        assertThat(state.snapshot().node("late").orElseThrow().requested().milliCpu())
                .isEqualTo(1000);
        state.removeNode("late");
        state.upsertNode(node("late", 8000, 16).build());
        assertThat(state.snapshot().node("late").orElseThrow().podCount()).isEqualTo(1);
        state.removePod("p");
        state.removeNode("late");
        state.upsertNode(node("late", 8000, 16).build());
        assertThat(state.snapshot().node("late").orElseThrow().podCount()).isZero();
    }

    @Test
    void snapshotsAreImmutableAndRemovalKeepsIndexesConsistent() {
        for (int i = 0; i < 200; i++) {
            state.upsertNode(node("n" + i, 1000, 1).build());
        }
        ClusterSnapshot before = state.snapshot();
        state.assume(pod("p", "prod", 500, 0).build(), "n7");
        state.removeNode("n3");
        assertThat(before.node("n7").orElseThrow().podCount()).isZero();
        assertThat(before.size()).isEqualTo(200);
        ClusterSnapshot after = state.snapshot();
        assertThat(after.size()).isEqualTo(199);
        assertThat(after.node("n3")).isEmpty();
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.node(after.node(i).name())).contains(after.node(i));
        }
        assertThat(after.generation()).isGreaterThan(before.generation());
    }

    @Test
    void aPublishedSnapshotKeepsItsIndexWhileLaterChangesAreBatched() {
        for (int i = 0; i < 100; i++) {
            state.upsertNode(node("n" + i, 1000, 1).build());
        }
        ClusterSnapshot published = state.snapshot();
        assertThat(state.snapshot()).isSameAs(published); // nothing changed: nothing new to publish
        state.removeNode("n3"); // moves n99 into slot 3 of the new index
        state.upsertNode(node("new", 1000, 1).build());
        state.removeNode("n50");
        assertThat(state.node("new")).isPresent();
        // the published snapshot still resolves each of its own nodes at its own position, and nothing later
        for (int i = 0; i < published.size(); i++) {
            assertThat(published.node(published.node(i).name())).contains(published.node(i));
        }
        assertThat(published.node("n3")).isPresent();
        assertThat(published.node("new")).isEmpty();
        ClusterSnapshot next = state.snapshot();
        assertThat(next.size()).isEqualTo(99);
        assertThat(next.node("n3")).isEmpty();
        assertThat(next.node("n50")).isEmpty();
        for (int i = 0; i < next.size(); i++) {
            assertThat(next.node(next.node(i).name())).contains(next.node(i));
        }
    }
}
