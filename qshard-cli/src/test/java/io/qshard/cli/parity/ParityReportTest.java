package io.qshard.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The comparison behind {@code TopologyParityIT}: message parsing, and which differences become table rows. */
class ParityReportTest {
    private static final CaseRun.Contender KUBE = new CaseRun.Contender("kube-scheduler", "default-scheduler");
    private static final CaseRun.Contender QSHARD = new CaseRun.Contender("qshard", "qshard-prod");
    private static final String AFFINITY =
            "1 node(s) didn't match pod affinity rules, 1 node(s) didn't match pod " + "affinity/anti-affinity";
    /** "affinity-hostname": feasible only on b1, placed on b1. */
    private static final ParityCase CASE = TopologyCases.all().stream()
            .filter(c -> c.name().equals("affinity-hostname"))
            .findFirst()
            .orElseThrow();

    @Test
    void parsesCountedReasonsIncludingTaintItemsWithCommas() {
        Verdict v = Verdict.rejected("0/9 nodes are available: " + AFFINITY + ", 1 node(s) had taint "
                + "{qshard.io/parity-node: tp-a1}, that the pod didn't tolerate.");
        assertThat(v.countedReasons())
                .containsExactly(
                        "1 node(s) didn't match pod affinity rules",
                        "1 node(s) didn't match pod affinity/anti-affinity",
                        "1 node(s) had taint {qshard.io/parity-node: tp-a1}, that the pod didn't tolerate");
        assertThat(v.reasons()).first().isEqualTo("node(s) didn't match pod affinity rules");
        assertThat(v.shownMessage()).endsWith("affinity/anti-affinity. [+1 pinning taints]");
    }

    @Test
    void agreementGivesNoRows() {
        ParityReport r = report(this::kubeAnswer, this::kubeAnswer, Verdict.bound(ParityCluster.B1));
        assertThat(r.designErrors()).isEmpty();
        assertThat(r.disagreements()).isEmpty();
    }

    @Test
    void aMissingTopologyReasonIsADisagreementButThePinningTaintIsNot() {
        ParityReport r = report(
                this::kubeAnswer,
                node -> node.equals(ParityCluster.B1)
                        ? Verdict.bound(node)
                        : Verdict.rejected("0/9 nodes are available: 1 node(s) didn't match pod affinity rules, "
                                + "8 node(s) had untolerated taint."),
                Verdict.bound(ParityCluster.B1));
        assertThat(r.designErrors()).isEmpty();
        assertThat(r.disagreements())
                .hasSize(8)
                .allSatisfy(row ->
                        assertThat(row.detail()).contains("lacks \"node(s) didn't match pod affinity/anti-affinity\""));
    }

    @Test
    void feasibilityAndPlacementDifferencesAreRows() {
        ParityReport r = report(
                this::kubeAnswer,
                node -> node.equals(ParityCluster.NZ) ? Verdict.bound(node) : kubeAnswer(node),
                Verdict.bound(ParityCluster.C2));
        assertThat(r.disagreements())
                .extracting(ParityReport.Row::node, ParityReport.Row::reference, ParityReport.Row::other)
                .containsExactly(
                        tuple(ParityCluster.NZ, "rejected", ParityCluster.NZ),
                        tuple("(placement)", ParityCluster.B1, ParityCluster.C2));
    }

    @Test
    void kubeSchedulerDifferingFromTheExpectationIsADesignError() {
        ParityReport r = report(
                node -> node.equals(ParityCluster.C1) ? Verdict.bound(node) : kubeAnswer(node),
                node -> node.equals(ParityCluster.C1) ? Verdict.bound(node) : kubeAnswer(node),
                Verdict.bound(ParityCluster.B1));
        assertThat(r.disagreements()).isEmpty();
        assertThat(r.designErrors())
                .singleElement()
                .satisfies(row -> assertThat(row.node()).isEqualTo(ParityCluster.C1));
    }

    private Verdict kubeAnswer(String node) {
        return node.equals(ParityCluster.B1)
                ? Verdict.bound(node)
                : Verdict.rejected("0/9 nodes are available: " + AFFINITY + ", 8 node(s) had taint {"
                        + ParityCluster.PIN_TAINT + ": x}, that the pod didn't tolerate.");
    }

    private static ParityReport report(
            Function<String, Verdict> kube, Function<String, Verdict> qshard, Verdict qshardPlaced) {
        Map<CaseRun.Contender, Map<String, Verdict>> pinned = new LinkedHashMap<>();
        for (String node : ParityCluster.NAMES) {
            pinned.computeIfAbsent(KUBE, k -> new LinkedHashMap<>()).put(node, kube.apply(node));
            pinned.computeIfAbsent(QSHARD, k -> new LinkedHashMap<>()).put(node, qshard.apply(node));
        }
        ParityReport r = new ParityReport(KUBE, QSHARD);
        r.add(new CaseRun.Result(CASE, pinned, Map.of(KUBE, Verdict.bound(ParityCluster.B1), QSHARD, qshardPlaced)));
        return r;
    }
}
