package io.qshard.core.preemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 1.20's {@code calculateNumCandidates} and the validation of its arguments. */
class PreemptionArgsTest {
    @ParameterizedTest(name = "{0}% / min {1} of {2} nodes -> {3}")
    @CsvSource({
        "10, 100, 5000, 500", // 5000 × 10 / 100
        "10, 100, 1000, 100", // 100, = the minimum
        "10, 100, 999, 100", // 99 → raised to 100
        "10, 100, 50, 50", // 5 → 100 → capped at 50
        "40, 1, 9, 3", // 9 × 40 / 100 = 3.6, truncated
        "0, 2, 9, 2",
        "100, 0, 7, 7",
    })
    void candidates(int percentage, int absolute, int nodes, int expected) {
        assertThat(new PreemptionArgs(percentage, absolute).candidates(nodes)).isEqualTo(expected);
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertThatThrownBy(() -> new PreemptionArgs(101, 1))
                .hasMessage("preemption.minCandidateNodesPercentage must be in [0, 100], was 101");
        assertThatThrownBy(() -> new PreemptionArgs(10, -1))
                .hasMessage("preemption.minCandidateNodesAbsolute must be ≥ 0, was -1");
        assertThatThrownBy(() -> new PreemptionArgs(0, 0)).hasMessageContaining("must not both be 0");
        assertThat(PreemptionArgs.DEFAULTS.candidates(5000)).isEqualTo(500);
    }
}
