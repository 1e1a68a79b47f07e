package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ClusterSnapshot#withoutPod}/{@link ClusterSnapshot#withPod}: a pod moved in node states and topology. */
class ClusterSnapshotMovesTest {
    private static final PodAffinity ANTI = new PodAffinity(
            List.of(),
            List.of(),
            List.of(new PodAffinityTerm(
                    LabelSelector.of(Map.of("app", "web"), List.of()), Set.of("ns"), null, "kubernetes.io/hostname")),
            List.of());
    private final ClusterState state = new ClusterState();

    private static PodRequest labelled(String uid, String app, PodAffinity affinity) {
        return pod(uid, "prod", 100, 1).build().withTopology(Map.of("app", app), affinity, List.of());
    }

    /** node → count of the pods of {@code app} (namespace "ns"). */
    private static Map<String, Integer> countsOf(ClusterSnapshot s, String app) {
        Map<String, Integer> out = new HashMap<>();
        for (int id : s.topology().matching("ns", LabelSelector.of(Map.of("app", app), List.of()))) {
            s.topology().group(id).nodes().forEach((n, c) -> out.merge(n, c, Integer::sum));
        }
        return out;
    }

    private static long cpu(ClusterSnapshot s, String node) {
        return s.node(node).orElseThrow().requested(NodeState.CPU);
    }

    @BeforeEach
    void cluster() {
        state.upsertNode(node("n1", 4000, 8).build());
        state.upsertNode(node("n2", 4000, 8).build());
        state.observeNode(node("other-shard", 4000, 8).build());
    }

    @Test
    void aMoveAndItsReverseRoundTripInNodesAndTopology() {
        PodRequest p1 = labelled("p1", "web", PodAffinity.NONE).boundTo("n1");
        state.upsertPod(p1);
        state.upsertPod(labelled("p2", "web", PodAffinity.NONE).boundTo("n2"));
        ClusterSnapshot s = state.snapshot();

        ClusterSnapshot moved = s.withoutPod(p1).withPod(p1.boundTo("n2"));
        assertThat(countsOf(moved, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n2", 2));
        assertThat(moved.node("n1").orElseThrow().hasPod("p1")).isFalse();
        assertThat(moved.node("n2").orElseThrow().hasPod("p1")).isTrue();
        assertThat(cpu(moved, "n1")).isZero();
        assertThat(cpu(moved, "n2")).isEqualTo(200);
        assertThat(moved.topology().groupCount()).isEqualTo(1); // counted in the replicas' group, none added

        ClusterSnapshot back = moved.withoutPod(p1.boundTo("n2")).withPod(p1);
        assertThat(countsOf(back, "web")).isEqualTo(countsOf(s, "web"));
        assertThat(cpu(back, "n1")).isEqualTo(cpu(s, "n1"));
        assertThat(cpu(back, "n2")).isEqualTo(cpu(s, "n2"));
        assertThat(countsOf(s, "web")).as("the original is untouched").isEqualTo(Map.of("n1", 1, "n2", 1));
        assertThat(s.node("n1").orElseThrow().hasPod("p1")).isTrue();
    }

    @Test
    void aPodOnANodeThisSnapshotDoesNotHoldIsCountedInTheTopologyOnly() {
        PodRequest p1 = labelled("p1", "web", PodAffinity.NONE).boundTo("n1");
        state.upsertPod(p1);
        ClusterSnapshot s = state.snapshot();

        ClusterSnapshot moved = s.withoutPod(p1).withPod(p1.boundTo("other-shard"));
        assertThat(countsOf(moved, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("other-shard", 1));
        assertThat(moved.size()).isEqualTo(2);
        assertThat(moved.node("other-shard")).isEmpty();
        assertThat(cpu(moved, "n1")).isZero();
    }

    @Test
    void aNewGroupGetsItsOwnMemoAndLeavesTheStatesIdsAndAffinityListAlone() {
        state.upsertPod(labelled("a1", "web", ANTI).boundTo("n1")); // group 0, an affinity group
        ClusterSnapshot s = state.snapshot();

        ClusterSnapshot derived = s.withPod(labelled("c1", "cache", ANTI).boundTo("n2")); // appended: group 1
        assertThat(derived.topology().groupCount()).isEqualTo(2);
        assertThat(derived.topology().affinityGroups()).containsExactly(0, 1);
        assertThat(countsOf(derived, "cache")).containsExactlyInAnyOrderEntriesOf(Map.of("n2", 1));
        assertThat(s.topology().groupCount()).isEqualTo(1);
        assertThat(s.topology().affinityGroups()).containsExactly(0);

        // the state gives ids 1 and 2 to other groups (2 has affinity terms): the derived view must not see them,
        // nor they the derived view's group 1 (as a shared memo or affinity array would make them)
        state.upsertPod(labelled("d1", "db", PodAffinity.NONE).boundTo("n1"));
        state.upsertPod(labelled("q1", "queue", ANTI).boundTo("n1"));
        ClusterSnapshot later = state.snapshot();
        assertThat(countsOf(later, "cache")).isEmpty();
        assertThat(countsOf(later, "db")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        assertThat(later.topology().affinityGroups()).containsExactly(0, 2);
        assertThat(countsOf(derived, "db")).isEmpty();
        assertThat(countsOf(derived, "cache")).containsExactlyInAnyOrderEntriesOf(Map.of("n2", 1));
        assertThat(derived.topology().affinityGroups()).containsExactly(0, 1);
    }

    @Test
    void anUnboundOrAlreadyHeldPodIsACallersBug() {
        PodRequest p1 = labelled("p1", "web", PodAffinity.NONE).boundTo("n1");
        state.upsertPod(p1);
        ClusterSnapshot s = state.snapshot();

        assertThatThrownBy(() -> s.withPod(p1.boundTo(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no nodeName");
        assertThatThrownBy(() -> s.withPod(p1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already on n1");
    }
}
