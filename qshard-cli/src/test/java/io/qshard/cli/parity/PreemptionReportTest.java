package io.qshard.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How {@code PreemptionParityIT} judges outcomes: same node, victims and binding, or a difference in the table. */
class PreemptionReportTest {
    private static final PreemptionCase CASE = PreemptionCases.handShaped().get(0); // expects c [c1, c2]

    private static PreemptionOutcome bound(String nominated, String node, String... victims) {
        List<String> nominations = nominated == null ? List.of() : List.of(nominated);
        return new PreemptionOutcome(
                PreemptionOutcome.Kind.BOUND, nominations, true, true, node, Set.of(victims), "", 40);
    }

    @Test
    void theSameNodeVictimsAndBindingAgree() {
        PreemptionReport r = new PreemptionReport();
        r.add(CASE, bound("c", "c", "c1", "c2"), bound("c", "c", "c2", "c1"));
        assertThat(r.designErrors()).isEmpty();
        assertThat(r.disagreements()).isEmpty();
        assertThat(r.summary()).contains("| c [c1, c2] | c [c1, c2] |").contains("differs from kube-scheduler in 0");
    }

    @Test
    void anotherVictimSetOrNodeOrMissingNominationIsADisagreement() {
        PreemptionOutcome kube = bound("c", "c", "c1", "c2");
        for (PreemptionOutcome qshard : new PreemptionOutcome[] {
            bound("c", "c", "c1"),
            bound("b", "b", "c1", "c2"),
            bound(null, "c", "c1", "c2"),
            bound("c", "b", "c1", "c2")
        }) {
            PreemptionReport r = new PreemptionReport();
            r.add(CASE, kube, qshard);
            assertThat(r.disagreements()).as(qshard.brief()).hasSize(1);
        }
    }

    @Test
    void noAnswerAndSkippedRunsAreDisagreementsWithTheirReason() {
        PreemptionReport r = new PreemptionReport();
        PreemptionOutcome none = new PreemptionOutcome(
                PreemptionOutcome.Kind.NO_ANSWER, List.of(), false, false, null, Set.of(), "0/3 nodes", 30_000);
        r.add(CASE, bound("c", "c", "c1", "c2"), none);
        r.add(CASE, bound("c", "c", "c1", "c2"), PreemptionOutcome.skipped("qshard stopped answering"));
        assertThat(r.disagreements()).hasSize(2);
        assertThat(r.summary())
                .contains("did not nominate within 30 s; PodScheduled: 0/3 nodes")
                .contains("not run: qshard stopped answering");
    }

    @Test
    void kubeSchedulerOtherThanExpectedIsADesignError() {
        PreemptionReport r = new PreemptionReport();
        r.add(CASE, bound("b", "b", "b1"), bound("b", "b", "b1"));
        assertThat(r.designErrors()).hasSize(1);
        assertThat(r.disagreements()).isEmpty();
    }

    @Test
    void aSecondNominationDiffersAndALateOrClearedOneIsShownOnly() {
        PreemptionOutcome kube = bound("c", "c", "c1", "c2");
        PreemptionOutcome twice = new PreemptionOutcome(
                PreemptionOutcome.Kind.BOUND, List.of("b", "c"), true, true, "c", Set.of("c1", "c2"), "", 40);
        PreemptionOutcome cleared = new PreemptionOutcome(
                PreemptionOutcome.Kind.BOUND, List.of("c"), false, false, "c", Set.of("c1", "c2"), "", 40);
        assertThat(twice.sameAs(kube)).isFalse();
        assertThat(twice.brief()).isEqualTo("nominated b then c [c1, c2], bound to c");
        assertThat(cleared.sameAs(kube)).isTrue();
        assertThat(cleared.brief())
                .isEqualTo("c [c1, c2] (nominated only after the binding) (nomination cleared by the end)");
    }
}
