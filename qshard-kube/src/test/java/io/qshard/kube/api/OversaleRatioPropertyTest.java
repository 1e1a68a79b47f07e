package io.qshard.kube.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link OversaleRatio} on any annotation text — numbers of every size and form, NaN, ±∞, junk — and any maximum: no
 * exception for a maximum in [1, 3], a ratio is valid exactly when it is a finite number in [1, max], the applied
 * annotation always reads as ratios in [1, 3] and writes and reads back exactly, and every setting or ratio out of
 * range is refused with an {@link IllegalArgumentException} naming it.
 */
class OversaleRatioPropertyTest {

    @Property(tries = 1000)
    void aRatioIsValidExactlyWhenItIsAFiniteNumberFromOneToTheMaximum(
            @ForAll("texts") String text, @ForAll("maxima") double max) {
        Optional<OversaleRatio.Parsed> parsed = OversaleRatio.parse(text, max);
        assertThat(parsed).isPresent();
        OversaleRatio.Parsed p = parsed.orElseThrow();
        Double number = number(text);
        boolean valid = number != null && Double.isFinite(number) && number >= 1 && number <= max;
        assertThat(p.valid()).as("'%s' with max %s: %s", text, max, p.problem()).isEqualTo(valid);
        if (valid) {
            assertThat(p.ratio()).isEqualTo(number).isBetween(1.0, max);
        } else {
            assertThat(p.problem()).isNotBlank();
        }
    }

    @Property(tries = 300)
    void aMaximumOutOfRangeIsRefusedNamingIt(@ForAll("anyDouble") double max) {
        if (max >= 1 && max <= OversaleRatio.ABSOLUTE_MAX) {
            assertThat(OversaleRatio.checkMax("--max-cpu-ratio", max)).isEqualTo(max);
            assertThat(OversaleRatio.parse("1", max)).isPresent();
        } else {
            assertThatThrownBy(() -> OversaleRatio.checkMax("--max-cpu-ratio", max))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--max-cpu-ratio");
            assertThatThrownBy(() -> OversaleRatio.parse("1.5", max))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max");
        }
    }

    @Property(tries = 1000)
    void theAppliedAnnotationAlwaysReadsAsRatiosFromOneToThree(@ForAll("appliedTexts") String text) {
        double[] r = OversaleRatio.applied(text);
        assertThat(r).hasSize(2);
        for (double v : r) {
            assertThat(v).isBetween(1.0, OversaleRatio.ABSOLUTE_MAX);
        }
    }

    @Property(tries = 1000)
    void theAppliedAnnotationWritesAndReadsBackExactly(@ForAll("ratios") double cpu, @ForAll("ratios") double memory) {
        assertThat(OversaleRatio.applied(OversaleRatio.appliedText(cpu, memory)))
                .containsExactly(cpu, memory);
    }

    @Property(tries = 300)
    void aRatioOutOfRangeIsNotWrittenAsApplied(@ForAll("anyDouble") double cpu) {
        if (cpu >= 1 && cpu <= OversaleRatio.ABSOLUTE_MAX) {
            assertThat(OversaleRatio.appliedText(cpu, 1)).startsWith("cpu=");
        } else {
            assertThatThrownBy(() -> OversaleRatio.appliedText(cpu, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cpu ratio");
        }
    }

    @Example
    void aNaNMaximumNoLongerAcceptsEveryRatio() {
        // found by aMaximumOutOfRangeIsRefusedNamingIt: with max NaN, "r > max" is false for every r, so
        // '1e300' was a valid ratio and allocatable was to be scaled by 10^300
        assertThatThrownBy(() -> OversaleRatio.parse("1e300", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max");
    }

    @Example
    void aNaNRatioIsRefusedNamingTheResourceNotWithANumberFormatError() {
        // found by aRatioOutOfRangeIsNotWrittenAsApplied: appliedText(NaN, 1) threw BigDecimal's
        // NumberFormatException ("Character N is neither a decimal digit number, decimal point, nor "e" notation")
        assertThatThrownBy(() -> OversaleRatio.appliedText(1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory ratio");
    }

    /** What Java reads the text as, or null when it is not a number. */
    private static Double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                anyDouble().map(String::valueOf),
                Arbitraries.doubles().between(0, 4).map(d -> " " + d + " "),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.of(
                        "",
                        " ",
                        "NaN",
                        "-NaN",
                        "Infinity",
                        "-Infinity",
                        "1e309",
                        "-1e309",
                        "1e-400",
                        "0x1p1",
                        "2d",
                        "1,5",
                        "1.5.1",
                        "+2",
                        "abc",
                        "1_000",
                        "٢",
                        "\u0000",
                        "1.0000000000000000001",
                        "3.0000000001"),
                Arbitraries.strings().ofMaxLength(12));
    }

    @Provide
    Arbitrary<Double> maxima() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(1, OversaleRatio.ABSOLUTE_MAX),
                Arbitraries.of(1.0, 2.0, OversaleRatio.ABSOLUTE_MAX));
    }

    @Provide
    Arbitrary<Double> ratios() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(1, OversaleRatio.ABSOLUTE_MAX),
                Arbitraries.doubles().between(1, OversaleRatio.ABSOLUTE_MAX).ofScale(2),
                Arbitraries.of(
                        1.0, Math.nextUp(1.0), Math.nextDown(OversaleRatio.ABSOLUTE_MAX), OversaleRatio.ABSOLUTE_MAX));
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().withStandardSpecialValues().withSpecialValue(Double.MAX_VALUE),
                Arbitraries.doubles().between(-1, 4),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1.0, 3.0));
    }

    @Provide
    Arbitrary<String> appliedTexts() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.of("cpu", "memory", "gpu", "", " cpu ").flatMap(k -> texts().map(v -> k + "=" + v)),
                texts());
        return part.list().ofMaxSize(4).map(l -> String.join(",", l));
    }
}
