package io.qshard.cli.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cases of {@code PreemptionParityIT} are well designed: valid, one right answer each, reproducible. */
class PreemptionCasesTest {

    @Test
    void handShapedExpectationsAreWhatTheOracleWorksOut() {
        for (PreemptionCase c : PreemptionCases.handShaped()) {
            PreemptionOracle.Decision d = PreemptionOracle.decide(c.setup());
            assertThat(d.unique()).as(c.name() + " has one right answer").isTrue();
            assertThat(d.answer()).as(c.name()).contains(c.expected());
            assertThat(d.all()).as(c.name() + " candidates").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void everyCaseNeedsPreemptionAndOnlyLowerPrioritiesAreVictims() {
        for (PreemptionCase c : PreemptionCases.all()) {
            assertThat(PreemptionOracle.fitsWithoutPreemption(c.setup()))
                    .as(c.name() + ": nodes the preemptor fits on without preemption")
                    .isEmpty();
            Map<String, Integer> priority = c.setup().existing().stream()
                    .collect(Collectors.toMap(PreemptionCase.Existing::name, PreemptionCase.Existing::priority));
            assertThat(c.expected().victims()).as(c.name()).isNotEmpty();
            assertThat(c.expected().victims())
                    .as(c.name() + " victims")
                    .allMatch(v -> priority.get(v) < c.setup().preemptor().priority());
        }
    }

    @Test
    void enoughDistinctCasesOnAtMostOneHundredNodes() {
        List<PreemptionCase> all = PreemptionCases.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(12);
        assertThat(all.stream().map(PreemptionCase::name).distinct()).hasSameSizeAs(all);
        int nodes = all.stream().mapToInt(c -> c.setup().nodes().size()).sum();
        assertThat(nodes + 1).as("nodes of every case and the warm-up node").isLessThanOrEqualTo(100);
    }

    @Test
    void theGeneratorIsSeededAndKeepsOnlyUniqueAnswers() {
        List<PreemptionCase> once = PreemptionRandomCases.generate(PreemptionRandomCases.SEED, 6);
        assertThat(PreemptionRandomCases.generate(PreemptionRandomCases.SEED, 6))
                .isEqualTo(once);
        assertThat(PreemptionRandomCases.generate(PreemptionRandomCases.SEED + 1, 6))
                .isNotEqualTo(once);
        for (PreemptionCase c : once) {
            PreemptionOracle.Decision d = PreemptionOracle.decide(c.setup());
            assertThat(d.unique()).as(c.name()).isTrue();
            assertThat(d.all()).as(c.name()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(d.answer()).as(c.name()).contains(c.expected());
            assertThat(c.setup().nodes()).hasSizeBetween(3, 8);
        }
    }

    @Test
    void oracleReadsTheFirstVictimNotTheHighest() {
        PreemptionCase c = PreemptionCases.handShaped().stream()
                .filter(k -> k.name().equals("first-victim-not-highest"))
                .findFirst()
                .orElseThrow();
        PreemptionOracle.Candidate a =
                PreemptionOracle.candidate(c.setup(), c.setup().nodes().get(0)).orElseThrow();
        assertThat(a.victims().stream().map(PreemptionCase.Existing::name)).containsExactly("a1", "a2");
        assertThat(a.violations()).isEqualTo(1);
        assertThat(PreemptionOracle.decide(c.setup()).decidedBy()).isEqualTo("lowest first victim");
    }
}
