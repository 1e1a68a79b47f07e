package io.qshard.core.preemption;

import static io.qshard.core.preemption.PreemptionFixtures.HIGH;
import static io.qshard.core.preemption.PreemptionFixtures.LOW;
import static io.qshard.core.preemption.PreemptionFixtures.MID;
import static io.qshard.core.preemption.PreemptionFixtures.NEG;
import static io.qshard.core.preemption.PreemptionFixtures.VERY_HIGH;
import static io.qshard.core.preemption.PreemptionFixtures.cpuFit;
import static io.qshard.core.preemption.PreemptionFixtures.node500;
import static io.qshard.core.preemption.PreemptionFixtures.preemptor;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 1.20's {@code pickOneNodeForPreemption}, on the cases of its {@code TestSelectBestCandidate}: a 500m preemptor on
 * 500m nodes, so every lower-priority pod of a node is a victim there. Victims are listed most important first;
 * "sum" is Σ (priority + 2^31) and only its priority part is written out (each victim adds 2^31).
 */
class CandidatePickTest {
    private final PreemptionFixtures f = new PreemptionFixtures();

    private String pick(PodRequest preemptor, List<NodeState> nodes) {
        List<Victims> candidates = new ArrayList<>();
        for (NodeState n : nodes) {
            Victims v = NodeVictims.select(n, preemptor, cpuFit(preemptor), List.of(), f.order);
            if (v != null) {
                candidates.add(v);
            }
        }
        return CandidatePick.pick(candidates, f.order).node();
    }

    @Test
    void theNodeWhoseHighestVictimIsLowestIsPicked() {
        // first victims: node1 mid, node2 mid, node3 low → node3
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500("node1", f.pod("p1.1", MID, 200, 0), f.pod("p1.2", MID, 300, 0)),
                                node500("node2", f.pod("p2.1", MID, 200, 0), f.pod("p2.2", LOW, 200, 0)),
                                node500("node3", f.pod("p3.1", LOW, 200, 0), f.pod("p3.2", LOW, 200, 0)))))
                .isEqualTo("node3");
    }

    @Test
    void atTheSameHighestPriorityTheSmallestSumIsPicked() {
        // all first victims mid; sums node1 100+100, node2 100+0, node3 100+100 → node2
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500("node1", f.pod("p1.1", MID, 200, 0), f.pod("p1.2", MID, 300, 0)),
                                node500("node2", f.pod("p2.1", MID, 300, 0), f.pod("p2.2", LOW, 200, 0)),
                                node500("node3", f.pod("p3.1", MID, 200, 0), f.pod("p3.2", MID, 200, 0)))))
                .isEqualTo("node2");
    }

    @Test
    void theSumCountsEachVictimSoNegativePrioritiesDoNotMakeMoreVictimsCheaper() {
        // priority parts: node1 100−100−100 = −100 with 3 victims, node2 100−100 = 0 with 2, node3 100−100+0 = 0 with
        // 3;
        // with 2^31 per victim node2 is the smallest (2·2^31 < 3·2^31 − 100) → node2
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500(
                                        "node1",
                                        f.pod("p1.1", MID, 100, 0),
                                        f.pod("p1.2", NEG, 100, 0),
                                        f.pod("p1.3", NEG, 100, 0)),
                                node500("node2", f.pod("p2.1", MID, 300, 0), f.pod("p2.2", NEG, 200, 0)),
                                node500(
                                        "node3",
                                        f.pod("p3.1", MID, 200, 0),
                                        f.pod("p3.2", NEG, 100, 0),
                                        f.pod("p3.3", LOW, 100, 0)))))
                .isEqualTo("node2");
    }

    @Test
    void nonOverlappingLowestHighestPrioritySumAndCount() {
        // node2's first victim is high: out at step 2. Sums: node1 100+0+0 (3 victims), node3 100+0+0+0 (4),
        // node4 100+100+100−100 (4) → node1
        assertThat(pick(
                        preemptor(VERY_HIGH, 500),
                        List.of(
                                node500(
                                        "node1",
                                        f.pod("p1.1", MID, 100, 0),
                                        f.pod("p1.2", LOW, 100, 0),
                                        f.pod("p1.3", LOW, 100, 0)),
                                node500("node2", f.pod("p2.1", HIGH, 300, 0)),
                                node500(
                                        "node3",
                                        f.pod("p3.1", MID, 200, 0),
                                        f.pod("p3.2", LOW, 100, 0),
                                        f.pod("p3.3", LOW, 100, 0),
                                        f.pod("p3.4", LOW, 100, 0)),
                                node500(
                                        "node4",
                                        f.pod("p4.1", MID, 200, 0),
                                        f.pod("p4.2", MID, 100, 0),
                                        f.pod("p4.3", MID, 100, 0),
                                        f.pod("p4.4", NEG, 100, 0)))))
                .isEqualTo("node1");
    }

    @Test
    void tiedOnEverythingElseTheLatestStartedHighestVictimsWin() {
        // same priorities, counts and sums; earliest start per node: node1 2, node2 3, node3 1 → node2
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500("node1", f.pod("p1.1", MID, 200, 2), f.pod("p1.2", MID, 200, 2)),
                                node500("node2", f.pod("p2.1", MID, 200, 3), f.pod("p2.2", MID, 200, 3)),
                                node500("node3", f.pod("p3.1", MID, 200, 1), f.pod("p3.2", MID, 200, 1)))))
                .isEqualTo("node2");
        // the earliest of each node's pods: node1 min(4, 2) = 2, node2 min(5, 1) = 1, node3 min(3, 6) = 3 → node3
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500("node1", f.pod("q1.1", MID, 200, 4), f.pod("q1.2", MID, 200, 2)),
                                node500("node2", f.pod("q2.1", MID, 200, 5), f.pod("q2.2", MID, 200, 1)),
                                node500("node3", f.pod("q3.1", MID, 200, 3), f.pod("q3.2", MID, 200, 6)))))
                .isEqualTo("node3");
        // only the highest-priority (mid) victims' starts count: node1 2, node2 6, node3 5 → node2
        assertThat(pick(
                        preemptor(HIGH, 500),
                        List.of(
                                node500("node1", f.pod("r1.1", LOW, 200, 4), f.pod("r1.2", MID, 200, 2)),
                                node500("node2", f.pod("r2.1", MID, 200, 6), f.pod("r2.2", LOW, 200, 1)),
                                node500("node3", f.pod("r3.1", LOW, 200, 3), f.pod("r3.2", MID, 200, 5)))))
                .isEqualTo("node2");
    }

    @Test
    void aCompleteTieKeepsTheFirstCandidate() {
        // 1.20 returns either (Go map order); here the caller's order decides
        List<NodeState> nodes =
                List.of(node500("node1", f.pod("p1", MID, 300, 0)), node500("node2", f.pod("p2", MID, 300, 0)));
        assertThat(pick(preemptor(HIGH, 300), nodes)).isEqualTo("node1");
        assertThat(pick(preemptor(HIGH, 300), List.of(nodes.get(1), nodes.get(0))))
                .isEqualTo("node2");
    }

    @Test
    void stepTwoReadsTheFirstVictimNotTheHighest() {
        // 1.20 does not re-sort victims after the reprieve: a's list starts with its budget-violating low pod, so a
        // wins
        // step 2 (0 < 100) although its highest victim (high) outranks b's (mid)
        Victims a = new Victims("a", List.of(f.pod("a1", LOW, 100, 0), f.pod("a2", HIGH, 100, 0)), 1);
        Victims b = new Victims("b", List.of(f.pod("b1", MID, 100, 0), f.pod("b2", LOW, 100, 0)), 1);
        assertThat(CandidatePick.pick(List.of(b, a), f.order).node()).isEqualTo("a");
        // fewer budget violations come before everything
        Victims c = new Victims("c", List.of(f.pod("c1", VERY_HIGH, 100, 0)), 0);
        assertThat(CandidatePick.pick(List.of(a, b, c), f.order).node()).isEqualTo("c");
    }

    @Test
    void noCandidateNoChoiceAndOneCandidateIsChosenAsItIs() {
        assertThat(CandidatePick.pick(List.of(), f.order)).isNull();
        Victims only = new Victims("only", List.of(), 0);
        assertThat(CandidatePick.pick(List.of(only), f.order)).isSameAs(only);
    }

    @Test
    void theShippedOrderReadsEachPodsStartTimeAndTakesNowForAnUnstartedOne() {
        VictimOrder order = VictimOrder.byStartTime(java.time.Instant.ofEpochSecond(100));
        PodRequest early = f.pod("early", MID, 100, 0).withStartTime(java.time.Instant.ofEpochSecond(10));
        PodRequest unstarted = f.pod("unstarted", MID, 100, 0);
        PodRequest late = f.pod("late", MID, 100, 0).withStartTime(java.time.Instant.ofEpochSecond(200));
        // equal priorities: 10 s < now (100 s) < 200 s
        List<PodRequest> sorted = new ArrayList<>(List.of(late, unstarted, early));
        sorted.sort(order);
        assertThat(sorted).extracting(PodRequest::uid).containsExactly("early", "unstarted", "late");
        assertThat(order.compare(f.pod("hi", HIGH, 100, 0), early))
                .as("priority first")
                .isNegative();
    }
}
