package io.qshard.cli.parity;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one scheduler did with one case's preemptor; node names are the case's logical ones. Immutable.
 *
 * @param kind           how the wait ended
 * @param nominations    the {@code status.nominatedNodeName} values it was given, in order (1.20: exactly one)
 * @param nominatedFirst whether it was nominated before it was bound (1.20: always; shown, not compared)
 * @param stillNominated whether the last version seen still carried a nomination (1.20 leaves it after binding)
 * @param bound          its {@code spec.nodeName} at the end, or null
 * @param victims        names of the case's existing pods deleted (or terminating) at the end
 * @param message        the PodScheduled=False message at the end, or why the run was skipped; "" when none
 * @param millis         from the preemptor's creation to the end of the wait (informational)
 */
record PreemptionOutcome(
        Kind kind,
        List<String> nominations,
        boolean nominatedFirst,
        boolean stillNominated,
        String bound,
        Set<String> victims,
        String message,
        long millis) {
    enum Kind {
        /** Bound within the deadline (after preempting, as the case's preemptor fits nowhere otherwise). */
        BOUND,
        /** Nominated, but not bound within the deadline. */
        NOMINATED,
        /** Neither nominated nor bound within the deadline. */
        NO_ANSWER,
        /** Not run: the scheduler had stopped answering on earlier cases. */
        SKIPPED
    }

    PreemptionOutcome {
        nominations = List.copyOf(nominations);
        victims = Set.copyOf(victims);
        message = message == null ? "" : message;
    }

    static PreemptionOutcome skipped(String why) {
        return new PreemptionOutcome(Kind.SKIPPED, List.of(), false, false, null, Set.of(), why, 0);
    }

    /** True when the scheduler gave a full answer within the deadline (bound). */
    boolean answered() {
        return kind == Kind.BOUND;
    }

    /** Both bound, after the same nominations, to the same node, with the same victims. */
    boolean sameAs(PreemptionOutcome other) {
        return answered()
                && other.answered()
                && nominations.equals(other.nominations)
                && Objects.equals(bound, other.bound)
                && victims.equals(other.victims);
    }

    /** Whether this outcome is the expected answer: nominated there once, bound there, those victims. */
    boolean is(PreemptionCase.Answer expected) {
        return answered()
                && nominations.equals(List.of(expected.node()))
                && expected.node().equals(bound)
                && victims.equals(expected.victims());
    }

    /**
     * For tables: {@code node [victims]}, plus what is unusual (no or several nominations, bound elsewhere, nominated
     * only after the binding, the nomination cleared by the end, no answer).
     */
    String brief() {
        String sorted = victims.stream().sorted().toList().toString();
        String nominated = String.join(" then ", nominations);
        return switch (kind) {
            case BOUND -> {
                if (nominations.isEmpty()) {
                    yield bound + " " + sorted + " (bound without nomination)";
                }
                String b = nominations.size() == 1 && nominated.equals(bound)
                        ? bound + " " + sorted
                        : "nominated " + nominated + " " + sorted + ", bound to " + bound;
                String late = nominatedFirst ? "" : " (nominated only after the binding)";
                yield stillNominated ? b + late : b + late + " (nomination cleared by the end)";
            }
            case NOMINATED -> "nominated " + nominated + " " + sorted + ", not bound within " + seconds() + " s";
            case NO_ANSWER ->
                "did not nominate within " + seconds() + " s"
                        + (victims.isEmpty() ? "" : ", deleted " + sorted)
                        + (message.isEmpty() ? "" : "; PodScheduled: " + message);
            case SKIPPED -> "not run: " + message;
        };
    }

    private long seconds() {
        return Math.round(millis / 1000.0);
    }
}
