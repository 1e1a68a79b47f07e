package io.qshard.cli.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares case results: the reference (kube-scheduler) against each case's expectation, and the other contender
 * (qshard) against the reference — per pinned node, for the placement, and for the reasons of rejections. Reasons are
 * compared for the two plugins this differential test is about (texts naming pod affinity, anti-affinity or topology
 * spread): each such reason kube-scheduler gives must appear in qshard's message — with its count for unpinned probes
 * (every node considered by both), by text for pinned ones (there the other nodes fail on the pinning taint first, and
 * how many plugins a scheduler runs past the first failure is not part of the contract). Other reason texts that
 * differ are collected as notes. Not thread-safe.
 */
public final class ParityReport {
    /** One table row: case, node ("(placement)" for the unpinned probe), both answers, and why the row exists. */
    public record Row(String caseName, String node, String reference, String other, String detail) {}

    private final CaseRun.Contender reference;
    private final CaseRun.Contender other;
    private final List<Row> designErrors = new ArrayList<>();
    private final List<Row> disagreements = new ArrayList<>();
    private final Set<String> notes = new TreeSet<>();
    private final List<String> summary = new ArrayList<>();

    /** @param other the contender compared with {@code reference} */
    ParityReport(CaseRun.Contender reference, CaseRun.Contender other) {
        this.reference = reference;
        this.other = other;
    }

    void add(CaseRun.Result r) {
        ParityCase c = r.c();
        Map<String, Verdict> refPinned = r.pinned().get(reference);
        Verdict refPlaced = r.placed().get(reference);
        for (String node : ParityCluster.NAMES) {
            Verdict v = refPinned.get(node);
            boolean expected = c.feasible().contains(node);
            if (v.kind() == Verdict.Kind.TIMEOUT || v.feasible() != expected) {
                designErrors.add(new Row(
                        c.name(),
                        node,
                        v.brief(),
                        expected ? "feasible" : "infeasible",
                        "kube-scheduler differs from the case's expectation; " + text(v)));
            }
        }
        String expectedPlacement = c.placement() == null ? "rejected" : c.placement();
        if (!refPlaced.brief().equals(expectedPlacement)) {
            designErrors.add(new Row(
                    c.name(),
                    "(placement)",
                    refPlaced.brief(),
                    expectedPlacement,
                    "kube-scheduler differs from the case's expectation; " + text(refPlaced)));
        }
        StringBuilder line = new StringBuilder(c.name())
                .append(": kube-scheduler feasible ")
                .append(feasible(refPinned))
                .append(", placed ")
                .append(refPlaced.brief());
        Map<String, Verdict> otherPinned = r.pinned().get(other);
        Verdict otherPlaced = r.placed().get(other);
        for (String node : ParityCluster.NAMES) {
            compare(c.name(), node, refPinned.get(node), otherPinned.get(node), false);
        }
        compare(c.name(), "(placement)", refPlaced, otherPlaced, true);
        line.append(" | qshard feasible ")
                .append(feasible(otherPinned))
                .append(", placed ")
                .append(otherPlaced.brief());
        if (refPlaced.kind() == Verdict.Kind.REJECTED || otherPlaced.kind() == Verdict.Kind.REJECTED) {
            line.append(" (kube-scheduler: ")
                    .append(text(refPlaced))
                    .append(" | qshard: ")
                    .append(text(otherPlaced))
                    .append(')');
        }
        summary.add(line.toString());
    }

    private void compare(String name, String node, Verdict ref, Verdict got, boolean counted) {
        if (ref.kind() != got.kind() || (ref.feasible() && !ref.node().equals(got.node()))) {
            disagreements.add(new Row(
                    name, node, ref.brief(), got.brief(), "kube-scheduler: " + text(ref) + " | qshard: " + text(got)));
            return;
        }
        if (ref.kind() != Verdict.Kind.REJECTED) {
            return;
        }
        List<String> expected = counted ? ref.countedReasons() : ref.reasons();
        for (String reason : expected) {
            if (got.message().contains(reason)) {
                continue;
            }
            if (isTopologyReason(reason)) {
                disagreements.add(new Row(
                        name,
                        node,
                        ref.brief(),
                        got.brief(),
                        "qshard's message lacks \"" + reason + "\"; kube-scheduler: " + ref.shownMessage()
                                + " | qshard: " + got.shownMessage()));
            } else if (!reason.contains("had taint {" + ParityCluster.PIN_TAINT)) {
                notes.add("reason \"" + reason.replaceFirst("^\\d+ ", "") + "\" of kube-scheduler is not in "
                        + "qshard's message (e.g. " + name + "): " + got.shownMessage());
            }
        }
    }

    private static boolean isTopologyReason(String reason) {
        return reason.contains("pod affinity")
                || reason.contains("anti-affinity")
                || reason.contains("topology spread");
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

    List<Row> designErrors() {
        return List.copyOf(designErrors);
    }

    List<Row> disagreements() {
        return List.copyOf(disagreements);
    }

    /** Reason texts that differ outside the two plugins compared (informational). */
    Set<String> notes() {
        return Set.copyOf(notes);
    }

    /** One line per case: what each contender found feasible and where it placed the unpinned probe. */
    String summary() {
        return String.join("\n", summary);
    }

    /** A Markdown table of rows; {@code otherColumn} names the fourth column ("qshard" or "expected"). */
    public static String table(String title, String otherColumn, List<Row> rows) {
        StringBuilder b = new StringBuilder(title)
                .append(" (")
                .append(rows.size())
                .append(")\n")
                .append("| case | node | kube-scheduler | ")
                .append(otherColumn)
                .append(" | reasons |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ")
                    .append(r.caseName())
                    .append(" | ")
                    .append(r.node())
                    .append(" | ")
                    .append(r.reference())
                    .append(" | ")
                    .append(r.other())
                    .append(" | ")
                    .append(r.detail())
                    .append(" |\n");
        }
        return b.toString();
    }
}
