package io.qshard.core.algorithm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodesToScoreTest {
    @ParameterizedTest(name = "{0}% of {1} nodes -> {2}")
    @CsvSource({
        "0, 50, 50", // ≤ 100 nodes: all
        "0, 1000, 420", // adaptive: 50 − 1000/125 = 42% → 420
        "0, 5000, 500", // 50 − 40 = 10% → 500
        "0, 10000, 500", // 50 − 80 < 5 → 5% → 500
        "0, 1200, 492", // 1200/125 = 9 (integer division) → 41% → 492
        "10, 500, 100", // 10% = 50 < MIN_FEASIBLE → 100
        "100, 10000, 10000",
    })
    void feasibleToFind(int percentage, int nodes, int expected) {
        assertThat(new NodesToScore(percentage).feasibleToFind(nodes)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-1", "101"})
    void outOfRangeIsRejected(int p) {
        assertThatThrownBy(() -> new NodesToScore(p)).hasMessageContaining("percentageOfNodesToScore");
    }
}
