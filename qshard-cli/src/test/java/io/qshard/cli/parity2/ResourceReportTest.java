package io.qshard.cli.parity2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.qshard.cli.parity.ParityCluster;
import io.qshard.cli.parity.ParityReport;
import io.qshard.cli.parity.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The comparison behind {@code ResourceParityIT}: which differences become design errors or disagreements. */
class ResourceReportTest {
    private static final ResourceCaseRun.Contender KUBE =
            new ResourceCaseRun.Contender("kube-scheduler", "default-scheduler");
    private static final ResourceCaseRun.Contender QSHARD = new ResourceCaseRun.Contender("qshard", "qshard-prod");
    /** "gpu-too-few": feasible only on rp-b, placed on rp-b, rejected elsewhere for the GPU. */
    private static final ResourceCase CASE = ResourceCases.all().stream()
            .filter(c -> c.name().equals("gpu-too-few"))
            .findFirst()
            .orElseThrow();

    @Test
    void agreementGivesNoRows() {
        ResourceReport r = report(ResourceReportTest::kubeAnswer, ResourceReportTest::kubeAnswer, onB(), List.of());
        assertThat(r.designErrors()).isEmpty();
        assertThat(r.disagreements()).isEmpty();
    }

    @Test
    void anyReasonMissingOrCountedOtherwiseIsADisagreementButThePinningTaintIsNot() {
        ResourceReport r = report(
                ResourceReportTest::kubeAnswer,
                node -> node.equals(ResourceCluster.B)
                        ? Verdict.bound(node)
                        : Verdict.rejected(
                                "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) had untolerated " + "taint."),
                onB(),
                List.of());
        assertThat(r.designErrors()).isEmpty();
        assertThat(r.disagreements())
                .hasSize(4)
                .allSatisfy(row -> assertThat(row.detail()).contains("lacks \"1 Insufficient example.com/gpu\""));
    }

    @Test
    void feasibilityPlacementAndHookProblemsAreDisagreements() {
        ResourceReport r = report(
                ResourceReportTest::kubeAnswer,
                node -> node.equals(ResourceCluster.E) ? Verdict.bound(node) : kubeAnswer(node),
                Verdict.bound(ResourceCluster.A),
                List.of("rp-b: bound to rp-b but its claim to x (expected y)"));
        assertThat(r.disagreements())
                .extracting(ParityReport.Row::node, ParityReport.Row::reference, ParityReport.Row::other)
                .containsExactly(
                        tuple(ResourceCluster.E, "rejected", ResourceCluster.E),
                        tuple("(placement)", ResourceCluster.B, ResourceCluster.A),
                        tuple(ResourceCluster.B, "-", "-"));
    }

    @Test
    void kubeSchedulerOffTheExpectationOrItsReasonIsADesignError() {
        Function<String, Verdict> kube = node -> node.equals(ResourceCluster.C)
                ? Verdict.rejected("0/5 nodes are available: 1 Insufficient cpu.")
                : kubeAnswer(node);
        ResourceReport r = report(kube, kube, onB(), List.of());
        assertThat(r.disagreements()).isEmpty();
        assertThat(r.designErrors())
                .singleElement()
                .satisfies(row -> assertThat(row.node()).isEqualTo(ResourceCluster.C));
    }

    private static Verdict onB() {
        return Verdict.bound(ResourceCluster.B);
    }

    private static Verdict kubeAnswer(String node) {
        return node.equals(ResourceCluster.B)
                ? Verdict.bound(node)
                : Verdict.rejected("0/5 nodes are available: 1 Insufficient example.com/gpu, 4 node(s) had taint {"
                        + ParityCluster.PIN_TAINT + ": x}, that the pod didn't tolerate.");
    }

    private static ResourceReport report(
            Function<String, Verdict> kube,
            Function<String, Verdict> qshard,
            Verdict qshardPlaced,
            List<String> qshardHookProblems) {
        Map<ResourceCaseRun.Contender, Map<String, Verdict>> pinned = new LinkedHashMap<>();
        for (String node : ResourceCluster.NAMES) {
            pinned.computeIfAbsent(KUBE, k -> new LinkedHashMap<>()).put(node, kube.apply(node));
            pinned.computeIfAbsent(QSHARD, k -> new LinkedHashMap<>()).put(node, qshard.apply(node));
        }
        ResourceReport r = new ResourceReport(KUBE, QSHARD);
        r.add(new ResourceCaseRun.Result(
                CASE,
                pinned,
                Map.of(KUBE, Verdict.bound(ResourceCluster.B), QSHARD, qshardPlaced),
                List.of(),
                Map.of(QSHARD, qshardHookProblems)));
        return r;
    }
}
