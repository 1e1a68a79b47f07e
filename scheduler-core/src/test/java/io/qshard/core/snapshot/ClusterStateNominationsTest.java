package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nominations follow the pod (moved, bound, deleted) and reach nodes added later; budgets reach the snapshot. */
class ClusterStateNominationsTest {
    private final ClusterState state = new ClusterState();

    private static PodRequest nominated(String uid, String node) {
        PodRequest p = pod(uid, "prod", 1000, 1).build();
        return p.withDetails(p.details().withPreemption(false, node));
    }

    private List<String> nominatedOn(String node) {
        return state.snapshot().node(node).orElseThrow().nominated().stream()
                .map(PodRequest::uid)
                .toList();
    }

    @Test
    void aNominationMovesWithThePodAndEndsWhenItBinds() {
        state.upsertNode(node("n1", 4000, 16).build());
        state.upsertNode(node("n2", 4000, 16).build());
        state.nominate(nominated("p", "n1"));
        assertThat(nominatedOn("n1")).containsExactly("p");
        assertThat(state.snapshot().node("n1").orElseThrow().requested().milliCpu())
                .as("not counted in the node's requests")
                .isZero();

        state.nominate(nominated("p", "n2"));
        assertThat(nominatedOn("n1")).isEmpty();
        assertThat(nominatedOn("n2")).containsExactly("p");

        state.upsertPod(pod("p", "prod", 1000, 1).build().boundTo("n1")); // bound, elsewhere even
        assertThat(nominatedOn("n2")).isEmpty();
        assertThat(state.nominations()).isEmpty();
    }

    @Test
    void aNodeAddedLaterGetsItsNominationsAndDeletionOrClearingEndsThem() {
        state.nominate(nominated("p", "n3"));
        state.nominate(nominated("q", "n3"));
        state.upsertNode(node("n3", 4000, 16).build());
        assertThat(nominatedOn("n3")).containsExactlyInAnyOrder("p", "q");

        state.removePod("p"); // deleted
        state.nominate(pod("q", "prod", 1000, 1).build()); // its nominatedNodeName cleared
        assertThat(nominatedOn("n3")).isEmpty();
    }

    @Test
    void aBoundPodsStartTimeReachesItsNode() {
        // the kubelet writes status.startTime after the binding: preemption ranks victims by it
        state.upsertNode(node("n1", 4000, 16).build());
        PodRequest p = pod("p", "prod", 1000, 1).build().boundTo("n1");
        state.upsertPod(p);
        java.time.Instant started = java.time.Instant.parse("2026-01-01T00:00:00Z");
        state.upsertPod(p.withStartTime(started));
        assertThat(state.snapshot().node("n1").orElseThrow().pods())
                .singleElement()
                .satisfies(x -> assertThat(x.startTime()).isEqualTo(started));
        assertThat(state.snapshot().node("n1").orElseThrow().requested().milliCpu())
                .isEqualTo(1000);
    }

    @Test
    void budgetsReachTheSnapshotAndGoWhenDeleted() {
        DisruptionBudget b =
                new DisruptionBudget("ns", "web", LabelSelector.of(Map.of("app", "web"), List.of()), 0, Set.of());
        long before = state.snapshot().generation();
        state.budget("ns", "web", b);
        assertThat(state.snapshot().budgets()).containsExactly(b);
        assertThat(state.snapshot().generation()).isGreaterThan(before);
        state.budget("ns", "web", null);
        assertThat(state.snapshot().budgets()).isEmpty();
    }
}
