package io.qshard.cli.parity;

import static io.qshard.cli.parity.PreemptionCases.HIGH;
import static io.qshard.cli.parity.PreemptionCases.LOW;
import static io.qshard.cli.parity.PreemptionCases.MID;
import static io.qshard.cli.parity.PreemptionCases.NEG;
import static io.qshard.cli.parity.PreemptionCases.VERY_HIGH;
import static io.qshard.cli.parity.PreemptionCases.c;
import static io.qshard.cli.parity.PreemptionCases.expect;
import static io.qshard.cli.parity.PreemptionCases.nodes;
import static io.qshard.cli.parity.PreemptionCases.pod;

import java.util.List;

/**
 * Hand-shaped preemption cases about the node 1.20's {@code pickOneNodeForPreemption} chooses among candidates that
 * break no budget (notes §4, §10.13–§10.20): each decided by one tie-break, the ones before it tied. Stateless.
 */
final class PreemptionNodeChoiceCases {
    private PreemptionNodeChoiceCases() {}

    static List<PreemptionCase> all() {
        return List.of(
                c(
                        "lowest-highest-victim",
                        "a node whose highest victim is lowest wins over fewer victims (§10.13)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                pod("a1", "a", HIGH, 2000, 1), pod("b1", "b", MID, 2000, 2),
                                pod("c1", "c", LOW, 1000, 3), pod("c2", "c", LOW, 1000, 4)),
                        List.of(),
                        VERY_HIGH,
                        2000,
                        expect("c", "c1", "c2")),
                c(
                        "smallest-sum",
                        "same highest victim: the smallest priority sum wins (§10.14)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                pod("a1", "a", MID, 1000, 1), pod("a2", "a", MID, 1000, 2),
                                pod("b1", "b", MID, 1000, 3), pod("b2", "b", LOW, 1000, 4),
                                pod("c1", "c", MID, 1500, 5), pod("c2", "c", MID, 500, 6)),
                        List.of(),
                        HIGH,
                        2000,
                        expect("b", "b1", "b2")),
                c(
                        "adjusted-sum",
                        "Σ(priority + 2^31): one negative victim beats two (§10.16)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                pod("a1", "a", NEG, 1000, 1), pod("a2", "a", NEG, 1000, 2),
                                pod("b1", "b", NEG, 2000, 3), pod("c1", "c", LOW, 2000, 4)),
                        List.of(),
                        HIGH,
                        2000,
                        expect("b", "b1")),
                c(
                        "latest-start",
                        "same priorities and counts: the latest-started victim's node (§10.18)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                pod("a1", "a", MID, 2000, 10),
                                pod("b1", "b", MID, 2000, 30),
                                pod("c1", "c", MID, 2000, 20)),
                        List.of(),
                        HIGH,
                        2000,
                        expect("b", "b1")),
                c(
                        "latest-start-of-highest",
                        "the start that counts is the highest victims' earliest (§10.20)",
                        nodes(2000, 2000, 2000),
                        List.of(
                                pod("a1", "a", MID, 1000, 5), pod("a2", "a", LOW, 1000, 50),
                                pod("b1", "b", MID, 1000, 20), pod("b2", "b", LOW, 1000, 1),
                                pod("c1", "c", MID, 1000, 10), pod("c2", "c", LOW, 1000, 60)),
                        List.of(),
                        HIGH,
                        2000,
                        expect("b", "b1", "b2")));
    }
}
