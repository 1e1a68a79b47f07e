package io.qshard.kube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OversaleRatioTest {
    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1.5     | 1.5 |",
                "' 1.25 '| 1.25 |",
                "1       | 1.0 |",
                "2       | 2.0 |",
                "2.01    |     | above the maximum 2.0",
                "0.8     |     | below 1",
                "0       |     | below 1",
                "-1      |     | below 1",
                "NaN     |     | not a finite number",
                "Infinity|     | not a finite number",
                "abc     |     | 'abc' is not a number",
                "1,5     |     | not a number",
            })
    void ratiosAreFiniteNumbersFromOneToTheMaximum(String text, Double ratio, String problem) {
        OversaleRatio.Parsed p = OversaleRatio.parse(text, 2.0).orElseThrow();
        if (problem == null) {
            assertThat(p.valid()).isTrue();
            assertThat(p.ratio()).isEqualTo(ratio);
        } else {
            assertThat(p.valid()).isFalse();
            assertThat(p.problem()).contains(problem.trim());
        }
    }

    @Test
    void anAbsentAnnotationMeansNoOversale() {
        assertThat(OversaleRatio.parse(null, 2.0)).isEmpty();
    }

    @Test
    void maximaOutsideOneToThreeAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> OversaleRatio.checkMax("--max-cpu-ratio", 0.5))
                .hasMessageContaining("--max-cpu-ratio must be in [1, 3.0]");
        assertThatThrownBy(() -> OversaleRatio.checkMax("--max-memory-ratio", Double.NaN))
                .hasMessageContaining("--max-memory-ratio");
        assertThat(OversaleRatio.checkMax("x", 3.0)).isEqualTo(3.0);
    }
}
