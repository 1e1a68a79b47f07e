package io.qshard.core.preemption;

import static io.qshard.core.preemption.PreemptionFixtures.HIGH;
import static io.qshard.core.preemption.PreemptionFixtures.LOW;
import static io.qshard.core.preemption.PreemptionFixtures.MID;
import static io.qshard.core.preemption.PreemptionFixtures.cpuFit;
import static io.qshard.core.preemption.PreemptionFixtures.node500;
import static io.qshard.core.preemption.PreemptionFixtures.preemptor;
import static io.qshard.core.preemption.PreemptionFixtures.uids;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * 1.20's {@code selectVictimsOnNode}, on the cases of its {@code TestDryRunPreemption} (500m nodes, cpu fit; the
 * arithmetic in each comment: what the node holds + the preemptor ≤ 500).
 */
class NodeVictimsTest {
    private final PreemptionFixtures f = new PreemptionFixtures();

    private Victims select(NodeState node, PodRequest preemptor, List<DisruptionBudget> budgets) {
        return NodeVictims.select(node, preemptor, cpuFit(preemptor), budgets, f.order);
    }

    @Test
    void theMediumPriorityPodGoesAndTheSmallLowPriorityOneStays() {
        // without both: 0 + 300 ≤ 500; reprieve p1.2 (mid, first): 300 + 300 > 500 → victim; p1.1: 100 + 300 ≤ 500
        NodeState n = node500("node1", f.pod("p1.1", LOW, 100, 0), f.pod("p1.2", MID, 300, 0));
        Victims v = select(n, preemptor(HIGH, 300), List.of());
        assertThat(uids(v)).containsExactly("p1.2");
        assertThat(v.pdbViolations()).isZero();
        assertThat(v.node()).isEqualTo("node1");
    }

    @Test
    void mixedPrioritiesGoLeastImportantLast() {
        // p1.4 (high, tied with the preemptor: not lower) stays: 100 + 300 ≤ 500 once the lower three are out. Reprieve
        // order p1.1, p1.3 (mid, p1.1 older),
        // p1.2 (low): p1.1 → 200 + 300 ≤ 500 stays; p1.3 → 400 + 300 > 500 victim; p1.2 → 300 + 300 > 500 victim
        NodeState n = node500(
                "node1",
                f.pod("p1.1", MID, 100, 1),
                f.pod("p1.2", LOW, 100, 0),
                f.pod("p1.3", MID, 200, 2),
                f.pod("p1.4", HIGH, 100, 0));
        assertThat(uids(select(n, preemptor(HIGH, 300), List.of()))).containsExactly("p1.3", "p1.2");
    }

    @Test
    void atEqualPriorityTheEarlierStartedPodIsReprievedFirst() {
        // both mid 200: only one can stay (200 + 300 ≤ 500, 400 + 300 > 500); the earlier one (start 4 < 5) does
        NodeState n = node500("node1", f.pod("late", MID, 200, 5), f.pod("early", MID, 200, 4));
        assertThat(uids(select(n, preemptor(HIGH, 300), List.of()))).containsExactly("late");
    }

    @Test
    void equalOrHigherPriorityIsNeverAVictimAndANodeWithoutLowerPodsIsNoCandidate() {
        NodeState tied = node500("node1", f.pod("p1", HIGH, 300, 0));
        assertThat(select(tied, preemptor(HIGH, 300), List.of())).isNull(); // 1.20: nothing to remove, not a candidate
        NodeState tooSmall = node500("node2", f.pod("p2", LOW, 100, 0), f.pod("p3", HIGH, 300, 0));
        assertThat(select(tooSmall, preemptor(HIGH, 300), List.of())).isNull(); // 300 + 300 > 500 even without p2
    }

    @Test
    void aNodeWhereEveryLowerPodCanStayIsACandidateWithoutVictims() {
        NodeState n = node500("node1", f.pod("p1", LOW, 100, 0)); // 100 + 300 ≤ 500 with p1 back
        Victims v = select(n, preemptor(HIGH, 300), List.of());
        assertThat(v.pods()).isEmpty();
        assertThat(v.pdbViolations()).isZero();
    }

    @Test
    void victimsThatBreakABudgetAreCountedAndReprievedFirst() {
        // a budget over app=foo allowing 1: sorted p1.1, p1.2 (mid, p1.1 older) → p1.1 takes the disruption (1 → 0),
        // p1.2 takes it below 0: violating. The preemptor needs 500: neither can stay, p1.2 counts one violation and,
        // reprieved first, comes first
        Map<String, String> foo = Map.of("app", "foo");
        NodeState n = node500("node1", f.labelled("p1.1", MID, 200, foo), f.labelled("p1.2", MID, 200, foo));
        f.started.put("p1.2", java.time.Instant.EPOCH.plusNanos(1));
        DisruptionBudget pdb = new DisruptionBudget("ns", "pdb", LabelSelector.of(foo, List.of()), 1, Set.of());
        Victims v = select(n, preemptor(HIGH, 500), List.of(pdb));
        assertThat(uids(v)).containsExactly("p1.2", "p1.1");
        assertThat(v.pdbViolations()).isEqualTo(1);
    }

    @Test
    void aPodWhoseEvictionTheBudgetAlreadyCountedDoesNotViolateIt() {
        // p1.2 is in disruptedPods: not charged; p1.1 uses the one allowed disruption → no violation
        Map<String, String> foo = Map.of("app", "foo");
        NodeState n = node500("node1", f.labelled("p1.1", MID, 200, foo), f.labelled("p1.2", MID, 200, foo));
        DisruptionBudget pdb = new DisruptionBudget("ns", "pdb", LabelSelector.of(foo, List.of()), 1, Set.of("p1.2"));
        Victims v = select(n, preemptor(HIGH, 500), List.of(pdb));
        assertThat(v.pods()).hasSize(2);
        assertThat(v.pdbViolations()).isZero();
    }

    @Test
    void aLessImportantViolatorIsReprievedBeforeAMoreImportantNonViolator() {
        // room for one of the two beside the preemptor (200 + 300 = 500; 400 + 300 > 500). The budget covers only the
        // low pod and allows 0 → it violates, so it is tried first and stays; the mid pod goes → no violation (had
        // the mid pod been tried first, the low one would go and break the budget)
        NodeState n = node500("node1", f.pod("mid", MID, 200, 0), f.labelled("low", LOW, 200, Map.of("app", "db")));
        DisruptionBudget pdb =
                new DisruptionBudget("ns", "db", LabelSelector.of(Map.of("app", "db"), List.of()), 0, Set.of());
        Victims v = select(n, preemptor(HIGH, 300), List.of(pdb));
        assertThat(uids(v)).containsExactly("mid");
        assertThat(v.pdbViolations()).isZero();
    }

    @Test
    void everyCoveringBudgetIsChargedAndEachNodeStartsFromTheAllowedCount() {
        Map<String, String> labels = Map.of("app", "foo", "tier", "web");
        List<PodRequest> pods = List.of(f.labelled("a", MID, 100, labels), f.labelled("b", LOW, 100, labels));
        DisruptionBudget byApp =
                new DisruptionBudget("ns", "app", LabelSelector.of(Map.of("app", "foo"), List.of()), 2, Set.of());
        DisruptionBudget byTier =
                new DisruptionBudget("ns", "tier", LabelSelector.of(Map.of("tier", "web"), List.of()), 1, Set.of());
        // a: app 2 → 1, tier 1 → 0 (fine); b: app 1 → 0, tier 0 → −1 (violates)
        assertThat(NodeVictims.violating(pods, List.of(byApp, byTier))).containsExactly(false, true);
    }
}
