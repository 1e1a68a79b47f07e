package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.testing.Extremes;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Saturating} is exact arithmetic clamped to the range of a long, for every pair of longs. */
class SaturatingPropertyTest {

    @Property(tries = 2000)
    void addIsTheExactSumClamped(@ForAll("any") long a, @ForAll("any") long b) {
        assertThat(Saturating.add(a, b)).isEqualTo(Extremes.sum(a, b));
        assertThat(Saturating.add(a, b)).isEqualTo(Saturating.add(b, a));
    }

    @Property(tries = 2000)
    void subtractIsTheExactDifferenceClamped(@ForAll("any") long a, @ForAll("any") long b) {
        assertThat(Saturating.subtract(a, b)).isEqualTo(Extremes.difference(a, b));
    }

    @Property(tries = 1000)
    void aSumOfNonNegativesIsAtLeastEachOfThem(@ForAll("amounts") long a, @ForAll("amounts") long b) {
        long s = Saturating.add(a, b);
        assertThat(s).isGreaterThanOrEqualTo(a).isGreaterThanOrEqualTo(b);
        assertThat(Saturating.atLimit(s)).isEqualTo(s == Long.MAX_VALUE);
    }

    @Example
    void theEdgesOfTheRange() {
        assertThat(Saturating.add(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Saturating.add(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Saturating.add(Long.MAX_VALUE, Long.MIN_VALUE)).isEqualTo(-1);
        assertThat(Saturating.subtract(Long.MIN_VALUE, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Saturating.subtract(0, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Saturating.subtract(-1, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Saturating.subtract(Long.MAX_VALUE, -1)).isEqualTo(Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<Long> any() {
        return Extremes.signedAmounts();
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Extremes.amounts();
    }
}
