package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster-wide pod topology {@link ClusterState} keeps for the topology plugins. */
class ClusterStateTopologyTest {
    private static PodRequest labelled(String uid, String app) {
        return pod(uid, "prod", 100, 1).build().withTopology(Map.of("app", app), PodAffinity.NONE, List.of());
    }

    /** node → count of the pods of {@code app} (namespace "ns") in a snapshot. */
    private static Map<String, Integer> countsOf(ClusterSnapshot s, String app) {
        Map<String, Integer> out = new HashMap<>();
        for (int id : s.topology().matching("ns", LabelSelector.of(Map.of("app", app), List.of()))) {
            s.topology().group(id).nodes().forEach((n, c) -> out.merge(n, c, Integer::sum));
        }
        return out;
    }

    @Test
    void replicasShareOneGroupCountedPerNodeAcrossShards() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).label("zone", "a").build());
        state.observeNode(node("other-shard", 4000, 8).label("zone", "b").build());
        state.upsertPod(labelled("p1", "web").boundTo("n1"));
        state.upsertPod(labelled("p2", "web").boundTo("n1"));
        state.upsertPod(labelled("p3", "web").boundTo("other-shard")); // detached: another shard's node
        state.assume(labelled("p4", "db"), "n1");

        ClusterSnapshot s = state.snapshot();
        assertThat(s.size()).isEqualTo(1);
        assertThat(countsOf(s, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 2, "other-shard", 1));
        assertThat(countsOf(s, "db")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        assertThat(s.topology().matching("ns", LabelSelector.of(Map.of("app", "web"), List.of())))
                .hasSize(1); // three replicas, one group
        assertThat(s.topology().nodes().labels("other-shard")).containsEntry("zone", "b");
    }

    @Test
    void movesRelabelsAndForgetsAreCountedAndOldSnapshotsDoNotChange() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).build());
        state.upsertNode(node("n2", 4000, 8).build());
        state.assume(labelled("p1", "web"), "n1");
        ClusterSnapshot before = state.snapshot();

        state.upsertPod(labelled("p1", "web").boundTo("n2")); // bound elsewhere than assumed
        assertThat(countsOf(state.snapshot(), "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n2", 1));

        state.upsertPod(labelled("p1", "api").boundTo("n2")); // relabelled in place
        ClusterSnapshot relabelled = state.snapshot();
        assertThat(relabelled.node("n2").orElseThrow().podList())
                .singleElement()
                .satisfies(p -> assertThat(p.labels()).containsEntry("app", "api")); // the node holds the new pod
        assertThat(countsOf(relabelled, "web")).isEmpty();
        assertThat(countsOf(relabelled, "api")).containsExactlyInAnyOrderEntriesOf(Map.of("n2", 1));

        state.removePod("p1");
        assertThat(countsOf(state.snapshot(), "api")).isEmpty();
        assertThat(countsOf(before, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        // the memo was filled by a later snapshot with more groups: the earlier one still sees only its own
        assertThat(countsOf(before, "api")).isEmpty();
        assertThat(before.topology().groupCount()).isEqualTo(1);
    }

    @Test
    void terminatingPodsFormTheirOwnGroup() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).build());
        state.upsertPod(labelled("p1", "web").boundTo("n1"));
        state.upsertPod(labelled("p1", "web").boundTo("n1").withTerminating(true));

        Topology t = state.snapshot().topology();
        int[] ids = t.matching("ns", LabelSelector.of(Map.of("app", "web"), List.of()));
        assertThat(ids).hasSize(2);
        assertThat(t.group(ids[0]).total()).isZero();
        assertThat(t.group(ids[1]).terminating()).isTrue();
        assertThat(t.group(ids[1]).total()).isEqualTo(1);
    }

    @Test
    void affinityGroupsListOnlyPodsWithTerms() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).build());
        PodAffinityTerm apart = new PodAffinityTerm(
                LabelSelector.of(Map.of("app", "web"), List.of()), Set.of("ns"), null, "kubernetes.io/hostname");
        PodAffinity anti = new PodAffinity(List.of(), List.of(), List.of(apart), List.of());
        state.upsertPod(labelled("plain", "web").boundTo("n1"));
        state.upsertPod(pod("spread", "prod", 100, 1)
                .build()
                .withTopology(Map.of("app", "web"), anti, List.of())
                .boundTo("n1"));

        Topology t = state.snapshot().topology();
        assertThat(t.affinityGroupCount()).isEqualTo(1);
        assertThat(t.group(t.affinityGroups()[0]).affinity()).isEqualTo(anti);
        assertThat(t.matching(apart)).hasSize(2); // both groups carry app=web in ns
    }

    @Test
    void deletedNodesAreForgottenButNodesLeavingTheShardKeepTheirLabels() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).label("zone", "a").build());
        state.upsertNode(node("n2", 4000, 8).label("zone", "b").build());
        state.removeNode("n1"); // handed to another shard
        state.deleteNode("n2"); // gone from the cluster

        ClusterNodes nodes = state.snapshot().topology().nodes();
        assertThat(nodes.labels("n1")).containsEntry("zone", "a");
        assertThat(nodes.labels("n2")).isNull();
        assertThat(nodes.size()).isEqualTo(1);
    }

    @Test
    void defaultSpreadSelectorJoinsServicesAndTheController() {
        ClusterState state = new ClusterState();
        state.controllerSelector("ns", "rs-uid", LabelSelector.of(Map.of("app", "web", "hash", "h1"), List.of()));
        state.serviceSelector("ns", "ns/web", Map.of("app", "web"));
        state.serviceSelector("ns", "ns/other", Map.of("app", "other"));
        PodRequest owned = new PodRequest(
                        "p",
                        "ns",
                        "p",
                        "prod",
                        io.qshard.core.model.PoolRule.ALLOCATABLE,
                        new io.qshard.core.model.Resources(100, 1, 1, 0, 0),
                        Map.of(),
                        null,
                        List.of(),
                        0,
                        io.qshard.core.testing.Fixtures.T0,
                        new OwnerRef("ReplicaSet", "web-h1", "rs-uid"),
                        null)
                .withTopology(Map.of("app", "web", "hash", "h1"), PodAffinity.NONE, List.of());

        LabelSelector sel = state.snapshot().topology().defaultSpreadSelector(owned);
        assertThat(sel.matches(Map.of("app", "web", "hash", "h1"))).isTrue();
        assertThat(sel.matches(Map.of("app", "web", "hash", "h2"))).isFalse(); // the controller's part
        assertThat(state.snapshot().topology().defaultSpreadSelector(labelled("bare", "nothing-selects")))
                .isEqualTo(LabelSelector.NOTHING);
    }

    @Test
    void aBoundPodCanBeTakenOutOfItsNodeAndTheCountsForExplaining() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).build());
        PodRequest bound = labelled("p1", "web").boundTo("n1");
        state.upsertPod(bound);
        state.upsertPod(labelled("p2", "web").boundTo("n1"));

        ClusterSnapshot s = state.snapshot();
        ClusterSnapshot pending = s.withoutPod(bound);
        assertThat(countsOf(pending, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        assertThat(pending.node("n1").orElseThrow().hasPod("p1")).isFalse();
        assertThat(countsOf(s, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 2)); // unchanged
    }

    /** Label sets that come and go (Jobs, rollouts) must not pile up: empty groups are compacted away. */
    @Test
    void emptiedGroupsAreCompactedAndCountsSurvive() {
        ClusterState state = new ClusterState();
        state.upsertNode(node("n1", 4000, 8).build());
        state.upsertPod(labelled("keep", "web").boundTo("n1"));
        PodAffinityTerm apart = new PodAffinityTerm(
                LabelSelector.of(Map.of("app", "web"), List.of()), Set.of("ns"), null, "kubernetes.io/hostname");
        state.upsertPod(pod("guard", "prod", 100, 1)
                .build()
                .withTopology(
                        Map.of("app", "guard"),
                        new PodAffinity(List.of(), List.of(), List.of(apart), List.of()),
                        List.of())
                .boundTo("n1"));
        ClusterSnapshot early = state.snapshot();
        assertThat(countsOf(early, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        int jobs = 4 * TopologyIndex.COMPACT_MIN_EMPTY;
        for (int i = 0; i < jobs; i++) {
            state.upsertPod(labelled("job" + i, "job-" + i).boundTo("n1"));
        }
        assertThat(state.snapshot().topology().groupCount()).isEqualTo(jobs + 2);
        for (int i = 0; i < jobs; i++) {
            state.removePod("job" + i);
        }
        state.removePod("guard");

        Topology t = state.snapshot().topology();
        assertThat(t.groupCount()).isLessThan(jobs / 2); // compacted (at least once)
        assertThat(t.hasAffinityPods()).isFalse();
        assertThat(countsOf(state.snapshot(), "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1));
        state.upsertPod(labelled("late", "web").boundTo("n1"));
        assertThat(countsOf(state.snapshot(), "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 2));
        assertThat(countsOf(early, "web")).containsExactlyInAnyOrderEntriesOf(Map.of("n1", 1)); // old snapshot intact
        assertThat(early.topology().hasAffinityPods()).isTrue();
    }
}
