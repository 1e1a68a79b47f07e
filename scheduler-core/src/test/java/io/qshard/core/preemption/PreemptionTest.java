package io.qshard.core.preemption;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.FilterHandle;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The whole decision with the default prod profile's own filters: the pod's cycle fails, {@link Preemption} picks the
 * node and victims. Nodes of 4000m; requests in milli-cores; the arithmetic in each comment (room = 4000 − Σ requests
 * left on the node).
 */
class PreemptionTest {
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());
    private final Preemption preemption =
            new Preemption(algorithm::prepare, PreemptionArgs.DEFAULTS, new VictimOrder(p -> Instant.EPOCH));

    private static PodRequest bound(String uid, int priority, long cpu, String node) {
        return pod(uid, "prod", cpu, 0).priority(priority).build().boundTo(node);
    }

    private static NodeState holding(NodeState n, PodRequest... pods) {
        for (PodRequest p : pods) {
            n = n.reserve(p);
        }
        return n;
    }

    /** A prod pod of 2000m, priority 500, with required anti-affinity to app=web per hostname. */
    private static PodRequest apartFromWeb() {
        io.qshard.core.model.PodAffinityTerm apart = new io.qshard.core.model.PodAffinityTerm(
                LabelSelector.of(Map.of("app", "web"), List.of()), Set.of("ns"), null, "kubernetes.io/hostname");
        return pod("p", "prod", 2000, 0)
                .priority(500)
                .build()
                .withTopology(
                        Map.of("app", "db"),
                        new PodAffinity(List.of(), List.of(), List.of(apart), List.of()),
                        List.of());
    }

    private Victims decide(ClusterSnapshot snapshot, PodRequest preemptor, List<DisruptionBudget> budgets) {
        ScheduleResult r = algorithm.schedule(snapshot, preemptor, 1);
        assertThat(r.isPlaced()).as("the pod fits nowhere without preemption").isFalse();
        return preemption.decide(snapshot, preemptor, r.diagnosis(), budgets, 0);
    }

    @Test
    void theNodeWhoseVictimsAreLeastImportantIsNominated() {
        // node1: low 3000 + mid 500 → without both 2000 fits; mid back: 500 + 2000 ≤ 4000 stays; low back: over → [low]
        // node2: mid 3000 + high 500 (not lower) → [mid]. Step 2: first victim low (0) < mid (100) → node1
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(holding(
                        node("node1", 4000, 8).state(), bound("low", 0, 3000, "node1"), bound("m1", 100, 500, "node1")))
                .with(holding(
                        node("node2", 4000, 8).state(),
                        bound("m2", 100, 3000, "node2"),
                        bound("h2", 1000, 500, "node2")));
        Victims v = decide(s, pod("p", "prod", 2000, 0).priority(500).build(), List.of());
        assertThat(v.node()).isEqualTo("node1");
        assertThat(v.pods()).extracting(PodRequest::uid).containsExactly("low");
    }

    @Test
    void nodesTheCycleRejectedForGoodAreNotTried() {
        // node3's taint rejects the pod UNRESOLVABLE: removing pods cannot help there, so its filters are never run
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(holding(node("node1", 4000, 8).state(), bound("m1", 100, 3500, "node1")))
                .with(holding(
                        node("node3", 4000, 8)
                                .taint("dedicated", "gpu", io.qshard.core.model.Taint.Effect.NO_SCHEDULE)
                                .state(),
                        bound("low3", 0, 3500, "node3")));
        List<String> checked = new java.util.ArrayList<>();
        Preemption counting = new Preemption(
                (snap, pod) -> {
                    FilterHandle.PodFilters prepared = algorithm.prepare(snap, pod);
                    return new FilterHandle.PodFilters() {
                        @Override
                        public boolean nodeLocal() {
                            return prepared.nodeLocal();
                        }

                        @Override
                        public io.qshard.core.framework.Status check(NodeState node) {
                            checked.add(node.name());
                            return prepared.check(node);
                        }
                    };
                },
                PreemptionArgs.DEFAULTS,
                new VictimOrder(p -> Instant.EPOCH));
        PodRequest p = pod("p", "prod", 2000, 0).priority(500).build();
        ScheduleResult r = algorithm.schedule(s, p, 1);
        Victims v = counting.decide(s, p, r.diagnosis(), List.of(), 0);
        assertThat(v.node()).isEqualTo("node1");
        assertThat(v.pods()).extracting(PodRequest::uid).containsExactly("m1");
        assertThat(checked).containsOnly("node1"); // without m1, then with it back
    }

    @Test
    void noLowerPriorityPodsNoNomination() {
        ClusterSnapshot s =
                ClusterSnapshot.empty().with(holding(node("node1", 4000, 8).state(), bound("h1", 1000, 3500, "node1")));
        assertThat(decide(s, pod("p", "prod", 2000, 0).priority(1000).build(), List.of()))
                .isNull(); // tied: not lower
    }

    @Test
    void aNodeWhoseVictimsBreakABudgetLosesToOneWhoseDoNot() {
        // both nodes need their one pod gone; node1's is covered by a budget allowing 0 → one violation; node2's is a
        // higher-priority pod but breaks nothing → node2 (fewest violations first)
        Map<String, String> db = Map.of("app", "db");
        PodRequest guarded = bound("guarded", 0, 3500, "node1").withTopology(db, PodAffinity.NONE, List.of());
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(holding(node("node1", 4000, 8).state(), guarded))
                .with(holding(node("node2", 4000, 8).state(), bound("m2", 100, 3500, "node2")));
        DisruptionBudget pdb = new DisruptionBudget("ns", "db", LabelSelector.of(db, List.of()), 0, Set.of());
        Victims v = decide(s, pod("p", "prod", 2000, 0).priority(500).build(), List.of(pdb));
        assertThat(v.node()).isEqualTo("node2");
        assertThat(v.pdbViolations()).isZero();
        // without the budget the lower victim wins
        assertThat(decide(s, pod("p", "prod", 2000, 0).priority(500).build(), List.of())
                        .node())
                .isEqualTo("node1");
    }

    @Test
    void theDryRunLooksPastTheCandidateCountUntilOneBreaksNoBudget() {
        // candidates wanted: max(3 × 10 / 100, 1) = 1 with args (10, 1). The run starts at the offset where node-a and
        // node-b (whose only pod a budget allowing 0 guards) come first in the cycle's order; it goes on past them to
        // node-c, which breaks nothing, and stops there → node-c (fewest violations)
        Map<String, String> db = Map.of("app", "db");
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (String n : List.of("node-a", "node-b")) {
            PodRequest g = bound("g-" + n, 0, 3500, n).withTopology(db, PodAffinity.NONE, List.of());
            s = s.with(holding(node(n, 4000, 8).state(), g));
        }
        s = s.with(holding(node("node-c", 4000, 8).state(), bound("m-c", 100, 3500, "node-c")));
        DisruptionBudget pdb = new DisruptionBudget("ns", "db", LabelSelector.of(db, List.of()), 0, Set.of());
        Preemption narrow =
                new Preemption(algorithm::prepare, new PreemptionArgs(10, 1), new VictimOrder(p -> Instant.EPOCH));
        PodRequest p = pod("p", "prod", 2000, 0).priority(500).build();
        ScheduleResult r = algorithm.schedule(s, p, 1);
        List<String> order = Preemption.potentialNodes(s, r.diagnosis()).stream()
                .map(NodeState::name)
                .toList();
        int c = order.indexOf("node-c");
        int offset = (c + 1) % 3; // the two guarded nodes, then node-c
        assertThat(narrow.decide(s, p, r.diagnosis(), List.of(pdb), offset).node())
                .isEqualTo("node-c");
    }

    /** n1, n2, n3 of 4000m, each holding a mid pod (priority 100) of 3500m. */
    private static ClusterSnapshot threeEqualNodes() {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (String n : List.of("n1", "n2", "n3")) {
            s = s.with(holding(node(n, 4000, 8).state(), bound("m-" + n, 100, 3500, n)));
        }
        return s;
    }

    @Test
    void theDryRunStartsAtTheOffsetAndStopsAtTheCandidateCount() {
        // three equal nodes (a mid pod of 3500 each), one candidate wanted: the first node tried is the one chosen
        ClusterSnapshot s = threeEqualNodes();
        Preemption narrow =
                new Preemption(algorithm::prepare, new PreemptionArgs(10, 1), new VictimOrder(p -> Instant.EPOCH));
        PodRequest p = pod("p", "prod", 2000, 0).priority(500).build();
        ScheduleResult r = algorithm.schedule(s, p, 1);
        List<String> order = Preemption.potentialNodes(s, r.diagnosis()).stream()
                .map(NodeState::name)
                .toList();
        assertThat(order).containsExactly("n1", "n2", "n3"); // snapshot order, as 1.20's node list
        for (int offset = 0; offset < 5; offset++) {
            assertThat(narrow.decide(s, p, r.diagnosis(), List.of(), offset).node())
                    .isEqualTo(order.get(offset % 3));
        }
    }

    @Test
    void refusedCandidatesEndTheDryRunOnceAsManyAsWantedWereRefused() {
        // three candidates, two wanted. Every candidate refused: two looked at, then the dry run stops (no answer).
        // Only n1 refused: n2 and n3 are allowed, equal, and the first of them in the dry run's order is chosen.
        ClusterSnapshot s = threeEqualNodes();
        Preemption two =
                new Preemption(algorithm::prepare, new PreemptionArgs(10, 2), new VictimOrder(p -> Instant.EPOCH));
        PodRequest p = pod("p", "prod", 2000, 0).priority(500).build();
        ScheduleResult r = algorithm.schedule(s, p, 1);
        List<String> asked = new java.util.ArrayList<>();
        assertThat(two.decide(s, p, r.diagnosis(), List.of(), 0, v -> asked.add(v.node()) && false))
                .isNull();
        assertThat(asked).containsExactly("n1", "n2");
        assertThat(two.decide(s, p, r.diagnosis(), List.of(), 0, v -> !v.node().equals("n1"))
                        .node())
                .isEqualTo("n2");
    }

    @Test
    void podsOfThePoolTiersDoNotPreemptYet() {
        // mid pools are measured on reported usage, which removing a pod does not lower: not decided until the
        // cross-tier rules are built
        ClusterSnapshot s =
                ClusterSnapshot.empty().with(holding(node("node1", 4000, 8).state(), bound("low", 0, 3500, "node1")));
        PodRequest mid = pod("p", "mid", 2000, 0).priority(500).build();
        ScheduleResult r = algorithm.schedule(s, mid, 1);
        assertThat(preemption.decide(s, mid, r.diagnosis(), List.of(), 0)).isNull();
    }

    @Test
    void aPodWhoseAntiAffinityAVictimBreaksIsCheckedOnTheClusterWithoutIt() {
        // node1: a low web pod (500) that the preemptor's required anti-affinity (app=web, per hostname) refuses:
        // resources suffice, only its removal from the topology counts makes room. node2: a mid pod holding 3500 (3500
        // +
        // 2000 > 4000). Both are candidates with one victim; first victims low (0) < mid (100) → node1. Checked on the
        // node alone (no topology change) node1 would never fit, and node2 would be nominated
        io.qshard.core.snapshot.ClusterState state = new io.qshard.core.snapshot.ClusterState();
        for (String n : List.of("node1", "node2")) {
            state.upsertNode(node(n, 4000, 8).label("kubernetes.io/hostname", n).build());
        }
        state.upsertPod(
                bound("web-low", 0, 500, "node1").withTopology(Map.of("app", "web"), PodAffinity.NONE, List.of()));
        state.upsertPod(bound("other", 100, 3500, "node2"));
        PodRequest p = apartFromWeb();
        ClusterSnapshot s = state.snapshot();
        assertThat(algorithm.prepare(s, p).nodeLocal())
                .as("a rule spanning nodes takes part")
                .isFalse();
        Victims v = decide(s, p, List.of());
        assertThat(v.node()).isEqualTo("node1");
        assertThat(v.pods()).extracting(PodRequest::uid).containsExactly("web-low");
    }

    @Test
    void onTheSpanningPathAReprieveRefusedThenAnotherTriedSeesTheRightPodsGone() {
        // node1: web (0, 500m; the preemptor's anti-affinity refuses it), a (50, 1500m), b (60, 1500m). All out: 2000
        // fits. Reprieve b: 1500 + 2000 ≤ 4000 stays; a: 3000 + 2000 > 4000 → victim; web: anti-affinity → victim.
        // Each check sees exactly the pods removed so far (a back in the snapshot would make web's check fail on cpu
        // instead; web kept counted would have refused b)
        io.qshard.core.snapshot.ClusterState state = new io.qshard.core.snapshot.ClusterState();
        state.upsertNode(
                node("node1", 4000, 8).label("kubernetes.io/hostname", "node1").build());
        state.upsertPod(bound("web", 0, 500, "node1").withTopology(Map.of("app", "web"), PodAffinity.NONE, List.of()));
        state.upsertPod(bound("a", 50, 1500, "node1"));
        state.upsertPod(bound("b", 60, 1500, "node1"));
        PodRequest p = apartFromWeb();
        Victims v = decide(state.snapshot(), p, List.of());
        assertThat(v.pods()).extracting(PodRequest::uid).containsExactly("a", "web");
    }

    @Test
    void potentialNodesAreEveryNodeButTheUnresolvableOnesAndAPreFilterVerdictStandsForAll() {
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("a", 4000, 8).state())
                .with(node("b", 4000, 8).state())
                .with(node("c", 4000, 8).state())
                .with(node("d", 4000, 8).state());
        io.qshard.core.framework.Diagnosis d = new io.qshard.core.framework.Diagnosis().totalNodes(4);
        d.add("a", io.qshard.core.framework.Status.unschedulable("X", "Insufficient cpu"));
        d.add("b", io.qshard.core.framework.Status.unresolvable("X", "node(s) didn't match node selector"));
        d.add(
                "c",
                new io.qshard.core.framework.Status(io.qshard.core.framework.Status.Code.ERROR, List.of("boom"), "X"));
        // d: no status (not walked) → tried, as 1.20 tries a node without a status
        assertThat(Preemption.potentialNodes(s, d)).extracting(NodeState::name).containsExactly("a", "d");
        assertThat(Preemption.potentialNodes(
                        s,
                        io.qshard.core.framework.Diagnosis.preFilterFailed(
                                io.qshard.core.framework.Status.unschedulable("P", "r"), 4)))
                .hasSize(4);
        assertThat(Preemption.potentialNodes(
                        s,
                        io.qshard.core.framework.Diagnosis.preFilterFailed(
                                io.qshard.core.framework.Status.unresolvable("P", "r"), 4)))
                .isEmpty();
    }
}
