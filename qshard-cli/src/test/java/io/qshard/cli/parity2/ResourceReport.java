package io.qshard.cli.parity2;

import io.qshard.cli.parity.ParityCluster;
import io.qshard.cli.parity.ParityReport;
import io.qshard.cli.parity.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares resource case results: the reference (kube-scheduler) against each case's expectation — feasibility per
 * pinned node, placement, the expected reason on infeasible pinned nodes, the stored-probe and hook checks — and the
 * other contender (qshard) against the reference: the same answer per pinned node and for the placement, every
 * reason item of the reference's message with its count (except the pinning taints' items: how a scheduler words
 * the other nodes' taints is not under test here), and its own probes' hook checks. Not thread-safe.
 */
final class ResourceReport {
    private static final String PLACEMENT = "(placement)";

    private final ResourceCaseRun.Contender reference;
    private final ResourceCaseRun.Contender other;
    private final List<ParityReport.Row> designErrors = new ArrayList<>();
    private final List<ParityReport.Row> disagreements = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    ResourceReport(ResourceCaseRun.Contender reference, ResourceCaseRun.Contender other) {
        this.reference = reference;
        this.other = other;
    }

    void add(ResourceCaseRun.Result r) {
        ResourceCase c = r.c();
        Map<String, Verdict> refPinned = r.pinned().get(reference);
        Verdict refPlaced = r.placed().get(reference);
        for (String node : ResourceCluster.NAMES) {
            Verdict v = refPinned.get(node);
            boolean expected = c.feasible().contains(node);
            if (v.kind() == Verdict.Kind.TIMEOUT || v.feasible() != expected) {
                design(c, node, v.brief(), expected ? "feasible" : "infeasible", text(v));
            } else if (!expected && !v.message().contains(c.reason())) {
                design(c, node, v.brief(), "rejected: " + c.reason(), "kube-scheduler's reason differs: " + text(v));
            }
        }
        String expectedPlacement = c.placement() == null ? "rejected" : c.placement();
        if (!refPlaced.brief().equals(expectedPlacement)) {
            design(c, PLACEMENT, refPlaced.brief(), expectedPlacement, text(refPlaced));
        }
        for (String problem : r.storedProblems()) {
            design(c, "(stored probe)", "-", "-", "the apiserver stored the probe otherwise: " + problem);
        }
        for (String problem : r.hookProblems().getOrDefault(reference, List.of())) {
            design(c, problem.substring(0, problem.indexOf(':')), "-", "-", "kube-scheduler's probe: " + problem);
        }
        Map<String, Verdict> otherPinned = r.pinned().get(other);
        Verdict otherPlaced = r.placed().get(other);
        for (String node : ResourceCluster.NAMES) {
            compare(c.name(), node, refPinned.get(node), otherPinned.get(node));
        }
        compare(c.name(), PLACEMENT, refPlaced, otherPlaced);
        for (String problem : r.hookProblems().getOrDefault(other, List.of())) {
            disagreements.add(new ParityReport.Row(
                    c.name(), problem.substring(0, problem.indexOf(':')), "-", "-", "qshard's probe: " + problem));
        }
        StringBuilder line = new StringBuilder("| ")
                .append(c.name())
                .append(" | ")
                .append(c.covers())
                .append(" | ")
                .append(feasible(refPinned))
                .append(" → ")
                .append(refPlaced.brief())
                .append(" | ")
                .append(feasible(otherPinned))
                .append(" → ")
                .append(otherPlaced.brief())
                .append(" | ")
                .append(refPlaced.kind() == Verdict.Kind.REJECTED ? refPlaced.shownMessage() : "")
                .append(" |");
        summary.add(line.toString());
    }

    private void design(ResourceCase c, String node, String kube, String expected, String detail) {
        designErrors.add(new ParityReport.Row(
                c.name(), node, kube, expected, "kube-scheduler differs from the case's expectation; " + detail));
    }

    private void compare(String name, String node, Verdict ref, Verdict got) {
        if (ref.kind() != got.kind() || (ref.feasible() && !ref.node().equals(got.node()))) {
            disagreements.add(new ParityReport.Row(
                    name, node, ref.brief(), got.brief(), "kube-scheduler: " + text(ref) + " | qshard: " + text(got)));
            return;
        }
        if (ref.kind() != Verdict.Kind.REJECTED) {
            return;
        }
        List<String> gotReasons = got.countedReasons();
        for (String reason : ref.countedReasons()) {
            if (!reason.contains("had taint {" + ParityCluster.PIN_TAINT) && !gotReasons.contains(reason)) {
                disagreements.add(new ParityReport.Row(
                        name,
                        node,
                        ref.brief(),
                        got.brief(),
                        "qshard's message lacks \"" + reason + "\"; kube-scheduler: " + ref.shownMessage()
                                + " | qshard: " + got.shownMessage()));
            }
        }
    }

    private static String feasible(Map<String, Verdict> pinned) {
        return pinned.entrySet().stream()
                .filter(e -> e.getValue().feasible())
                .map(Map.Entry::getKey)
                .toList()
                .toString();
    }

    private static String text(Verdict v) {
        return switch (v.kind()) {
            case BOUND -> "bound to " + v.node();
            case REJECTED -> "rejected: " + v.shownMessage();
            case TIMEOUT -> "no answer within the deadline";
        };
    }

    List<ParityReport.Row> designErrors() {
        return List.copyOf(designErrors);
    }

    List<ParityReport.Row> disagreements() {
        return List.copyOf(disagreements);
    }

    /** A Markdown table, one row per case: kube-scheduler's and qshard's feasible nodes → placement. */
    String summary() {
        return "| case | covers | kube-scheduler feasible → placed | qshard feasible → placed | kube-scheduler's "
                + "rejection |\n|---|---|---|---|---|\n" + String.join("\n", summary);
    }
}
