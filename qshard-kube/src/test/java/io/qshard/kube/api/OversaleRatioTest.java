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

    @ParameterizedTest(name = "''{0}'' → cpu {1}, memory {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "cpu=23835m,memory=78218870784 | 23835 | 78218870784",
                "memory=5, cpu=7m              | 7     | 5",
                "cpu=1500m                     | 1500  | -1",
                "cpu=1500,memory=1.5           | -1    | -1", // cpu without its unit, memory not an integer
                "cpu=-5m,memory=abc,gpu=1      | -1    | -1",
                "''                            | -1    | -1",
                "cpu=99999999999999999999m     | -1    | -1",
            })
    void theScaledRecordReadsIntegersAndAnythingElseAsNotRecorded(String text, long cpu, long memory) {
        assertThat(OversaleRatio.scaled(text)).containsExactly(cpu, memory);
    }

    @Test
    void theScaledRecordWritesAndReadsBack() {
        assertThat(OversaleRatio.scaledText(23835, 78218870784L)).isEqualTo("cpu=23835m,memory=78218870784");
        assertThat(OversaleRatio.scaled(OversaleRatio.scaledText(23835, 78218870784L)))
                .containsExactly(23835, 78218870784L);
        assertThat(OversaleRatio.scaled(OversaleRatio.scaledText(-1, 5))).containsExactly(-1, 5);
        assertThat(OversaleRatio.scaledText(-1, -1)).isEmpty();
        assertThat(OversaleRatio.scaled(null)).containsExactly(-1, -1);
    }

    @ParameterizedTest(name = "stored {0}, applied {1}, recorded {2} → real {3}")
    @CsvSource({
        "23835, 1.5, 23835, 15890", // the value the webhook left
        "15900, 1.5, 23850, 15900", // another value: stored by a write the webhook did not review, real
        "23835, 1.5, -1,    15890", // nothing recorded: the applied ratio is trusted
        "22500, 1.4159848961611077, 22500, 15890", // to the nearest unit: truncating gives 15889
        "0,     1.5, -1,    0",
    })
    void theRealValueDividesByTheAppliedRatioOnlyForTheRecordedValue(
            long stored, double applied, long recorded, long expected) {
        assertThat(OversaleRatio.real(stored, applied, recorded)).isEqualTo(expected);
    }
}
