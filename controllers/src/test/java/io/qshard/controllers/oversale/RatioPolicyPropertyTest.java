package io.qshard.controllers.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.kube.api.OversaleRatio;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link RatioPolicy} with allocatable, requests and predicted peaks anywhere in the range of a long and any current
 * annotation: no exception for a real allocatable &gt; 0 (an {@link IllegalArgumentException} naming it otherwise), a
 * new ratio is always a number in [1, max] on the 0.01 grid, moves from a valid current ratio by at most one step, and
 * never lowers allocatable below what bound pods request.
 */
class RatioPolicyPropertyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Property(tries = 2000)
    void aNewRatioIsInRangeOnTheGridAndWithinOneStep(
            @ForAll("policies") RatioPolicy policy,
            @ForAll("allocatable") long real,
            @ForAll("amounts") long requested,
            @ForAll("peaks") long peak,
            @ForAll("currents") String current) {
        Double next = policy.next(real, requested, peak, current, null, NOW);
        var parsed = OversaleRatio.parse(current, policy.max());
        boolean valid = parsed.isPresent() && parsed.get().valid();
        double cur = valid ? parsed.get().ratio() : 1.0;
        if (parsed.isPresent() && !valid) {
            assertThat(next).as("an invalid annotation is replaced at once").isNotNull();
        }
        Statistics.label("ratio written").collect(next != null);
        if (next != null) { // null: nothing to write, the ratio stays (coverage below: most tries write one)
            assertThat(next).isNotNaN().isBetween(1.0, policy.max());
            assertThat(Math.abs(next * 100 - Math.rint(next * 100)))
                    .as("on the 0.01 grid")
                    .isLessThan(1e-6);
            if (valid) {
                assertThat(Math.abs(next - cur)).isLessThanOrEqualTo(policy.maxStep() + 0.01 + 1e-9);
                if (next < cur) {
                    double floor = (double) requested / real;
                    assertThat(next)
                            .as("lowering stops at the requests")
                            .isGreaterThanOrEqualTo(Math.min(cur, floor) - 1e-9);
                }
            }
        }
        Statistics.label("ratio written").coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    @Property(tries = 300)
    void aRealAllocatableOfZeroOrLessIsRefusedNamingIt(
            @ForAll("policies") RatioPolicy policy,
            @ForAll("notPositive") long real,
            @ForAll("amounts") long requested) {
        assertThatThrownBy(() -> policy.next(real, requested, 0, "1.5", null, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("realAllocatable");
    }

    @Example
    void aNodeWithoutAllocatableIsRefusedWithItsNameNotWithANumberFormatError() {
        // found by aRealAllocatableOfZeroOrLessIsRefusedNamingIt: realAllocatable 0 made room / 0 = NaN and
        // BigDecimal.valueOf(NaN) threw NumberFormatException ("Character N is neither a decimal digit …")
        RatioPolicy policy = new RatioPolicy(2.0, 0.85, 0.1, Duration.ZERO);
        assertThatThrownBy(() -> policy.next(0, 0, 0, null, null, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("realAllocatable must be > 0, was 0");
    }

    @Provide
    Arbitrary<RatioPolicy> policies() {
        return Combinators.combine(
                        Arbitraries.doubles().between(1, OversaleRatio.ABSOLUTE_MAX),
                        Arbitraries.doubles().between(0, false, 1, true),
                        Arbitraries.doubles().between(0, false, 1, true),
                        Arbitraries.longs().between(0, 3600))
                .as((max, target, step, interval) -> new RatioPolicy(max, target, step, Duration.ofSeconds(interval)));
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 1L << 40)),
                Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                Tuple.of(1, Arbitraries.longs().between(Long.MAX_VALUE - 1000, Long.MAX_VALUE)));
    }

    @Provide
    Arbitrary<Long> allocatable() {
        return amounts().filter(v -> v > 0);
    }

    @Provide
    Arbitrary<Long> peaks() {
        return Arbitraries.oneOf(amounts(), Arbitraries.of(-1L, Long.MIN_VALUE));
    }

    @Provide
    Arbitrary<Long> notPositive() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, -1L, Long.MIN_VALUE), Arbitraries.longs().lessOrEqual(0));
    }

    @Provide
    Arbitrary<String> currents() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 4).map(String::valueOf),
                Arbitraries.doubles().between(1, 3).ofScale(2).map(String::valueOf),
                Arbitraries.of("NaN", "Infinity", "-1", "abc", "1e308", "", "3.0000001"),
                Arbitraries.just(null));
    }
}
