package io.qshard.cli.parity;

import static io.qshard.cli.parity.PreemptionCases.APP;
import static io.qshard.cli.parity.PreemptionCases.HIGH;
import static io.qshard.cli.parity.PreemptionCases.LOW;
import static io.qshard.cli.parity.PreemptionCases.MID;
import static io.qshard.cli.parity.PreemptionCases.NEG;
import static io.qshard.cli.parity.PreemptionCases.VERY_HIGH;
import static io.qshard.cli.parity.PreemptionCases.budget;
import static io.qshard.cli.parity.PreemptionCases.c;
import static io.qshard.cli.parity.PreemptionCases.expect;
import static io.qshard.cli.parity.PreemptionCases.labelled;
import static io.qshard.cli.parity.PreemptionCases.nodes;
import static io.qshard.cli.parity.PreemptionCases.pod;
import static io.qshard.cli.parity.PreemptionCases.sized;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-shaped preemption cases about which pods 1.20's {@code selectVictimsOnNode} takes (reprieve order, start
 * times, memory) and how PodDisruptionBudgets weigh (notes §3.3, §3.4, §10.4–§10.11). Stateless.
 */
final class PreemptionVictimCases {
    private PreemptionVictimCases() {}

    static List<PreemptionCase> all() {
        return List.of(
                c(
                        "pdb-moves-preemption",
                        "a budget with no disruption left sends preemption elsewhere (§10.9)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                labelled("a1", "a", LOW, 2000, 1, "db"), pod("b1", "b", MID, 2000, 2),
                                pod("c1", "c", MID, 1000, 3), pod("c2", "c", MID, 1000, 4)),
                        List.of(budget("db", "db", 0)),
                        HIGH,
                        2000,
                        expect("b", "b1")),
                c(
                        "small-low-pod-stays",
                        "reprieve most important first; a small low pod fits back (§10.4, §10.1)",
                        nodes(3000, 3000, 3000),
                        List.of(
                                pod("a0", "a", HIGH, 1000, 1),
                                pod("a1", "a", MID, 1500, 2),
                                pod("a2", "a", LOW, 500, 3),
                                pod("b1", "b", HIGH, 3000, 4),
                                pod("c1", "c", MID, 1000, 5),
                                pod("c2", "c", MID, 1000, 6),
                                pod("c3", "c", MID, 1000, 7)),
                        List.of(),
                        HIGH,
                        1500,
                        expect("a", "a1")),
                c(
                        "earlier-start-reprieved",
                        "equal priorities: the earlier-started pod is given back first (§10.6)",
                        nodes(3000, 3000, 3000),
                        List.of(
                                pod("a1", "a", MID, 1000, 10), pod("a2", "a", MID, 1000, 20),
                                pod("a3", "a", LOW, 1000, 5), pod("b1", "b", MID, 1500, 30),
                                pod("b2", "b", MID, 1500, 40), pod("c1", "c", VERY_HIGH, 3000, 1)),
                        List.of(),
                        HIGH,
                        2000,
                        expect("a", "a2", "a3")),
                c(
                        "first-victim-not-highest",
                        "1.20 compares Pods[0], violating victims first, not the highest",
                        nodes(2000, 2000, 2000),
                        List.of(
                                labelled("a1", "a", LOW, 1000, 1, "g"),
                                pod("a2", "a", MID, 1000, 2),
                                labelled("b1", "b", MID, 1000, 3, "g"),
                                pod("b2", "b", NEG, 1000, 4),
                                labelled("c1", "c", MID, 2000, 5, "g")),
                        List.of(budget("g", "g", 0)),
                        HIGH,
                        2000,
                        expect("a", "a1", "a2")),
                c(
                        "pdb-disrupted-pod",
                        "a pod in the budget's disruptedPods breaks it no more (§10.11)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                labelled("a1", "a", LOW, 2000, 1, "g"),
                                pod("b1", "b", MID, 2000, 2),
                                labelled("c1", "c", LOW, 2000, 3, "g")),
                        List.of(new PreemptionCase.Budget("g", Map.of(APP, "g"), 0, Set.of("a1"))),
                        HIGH,
                        2000,
                        expect("a", "a1")),
                c(
                        "pdb-budget-order",
                        "the budget goes to the more important pod; violators are reprieved first",
                        nodes(2000, 2000, 2000),
                        List.of(
                                labelled("a1", "a", LOW, 1000, 1, "g"), labelled("a2", "a", LOW, 1000, 2, "g"),
                                pod("b1", "b", MID, 2000, 3), pod("c1", "c", VERY_HIGH, 2000, 4)),
                        List.of(budget("g", "g", 1)),
                        HIGH,
                        1000,
                        expect("a", "a1")),
                new PreemptionCase(
                        "memory-decides",
                        "memory alone keeps the preemptor out; the victim frees memory",
                        new PreemptionCase.Setup(
                                List.of(
                                        new PreemptionCase.Node("a", 4000, 4096),
                                        new PreemptionCase.Node("b", 4000, 4096),
                                        new PreemptionCase.Node("c", 4000, 4096)),
                                List.of(
                                        sized("a1", "a", LOW, 500, 3072, 1),
                                        sized("a2", "a", MID, 500, 512, 2),
                                        sized("b1", "b", LOW, 500, 2048, 3),
                                        sized("b2", "b", LOW, 500, 1536, 4),
                                        sized("c1", "c", MID, 500, 3584, 5)),
                                List.of(),
                                new PreemptionCase.Preemptor(HIGH, 1000, 2048)),
                        expect("b", "b2")));
    }
}
