package io.qshard.cli.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * The results of {@code PreemptionParityIT}: per case, the expected answer, kube-scheduler's and qshard's outcomes.
 * kube-scheduler must give the expected answer (else the case is designed wrong), qshard the same node, victims and
 * binding as kube-scheduler. Not thread-safe.
 */
final class PreemptionReport {
    /** One case's results. */
    record Row(PreemptionCase c, PreemptionOutcome kube, PreemptionOutcome qshard) {
        boolean designError() {
            return !kube.is(c.expected());
        }

        boolean disagreement() {
            return !qshard.sameAs(kube);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void add(PreemptionCase c, PreemptionOutcome kube, PreemptionOutcome qshard) {
        rows.add(new Row(c, kube, qshard));
    }

    List<Row> designErrors() {
        return rows.stream().filter(Row::designError).toList();
    }

    List<Row> disagreements() {
        return rows.stream().filter(Row::disagreement).toList();
    }

    /** The per-case Markdown table and the counts of design errors and disagreements. */
    String summary() {
        StringBuilder b = new StringBuilder(
                        "| case | covers | expected | kube-scheduler | qshard | ms (kube / qshard) |\n")
                .append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ")
                    .append(r.c().name())
                    .append(" | ")
                    .append(r.c().covers())
                    .append(" | ")
                    .append(r.c().expected().brief())
                    .append(" | ")
                    .append(mark(r.designError()))
                    .append(r.kube().brief())
                    .append(" | ")
                    .append(mark(r.disagreement()))
                    .append(r.qshard().brief())
                    .append(" | ")
                    .append(r.kube().millis())
                    .append(" / ")
                    .append(r.qshard().millis())
                    .append(" |\n");
        }
        return b.append('\n')
                .append(rows.size())
                .append(" cases; kube-scheduler differs from the expectation in ")
                .append(designErrors().size())
                .append(" (")
                .append(names(designErrors()))
                .append("); qshard differs from kube-scheduler in ")
                .append(disagreements().size())
                .append(" (")
                .append(names(disagreements()))
                .append("). ✗ marks a difference.\n")
                .toString();
    }

    private static String mark(boolean differs) {
        return differs ? "✗ " : "";
    }

    private static String names(List<Row> rows) {
        return String.join(", ", rows.stream().map(r -> r.c().name()).toList());
    }
}
