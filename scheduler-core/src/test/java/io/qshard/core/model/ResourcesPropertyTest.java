package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.testing.Extremes;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Resources} and {@link ScalarResources} arithmetic on amounts anywhere in the range of a long: sums and
 * differences are the exact ones clamped (never wrapped), so a sum of huge requests stays at least as large as each of
 * them, and fitting is monotone in both the request and the capacity.
 */
class ResourcesPropertyTest {
    private static final String[] SCALARS = {"ephemeral-storage", "hugepages-2Mi", "nvidia.com/gpu"};

    @Property(tries = 1000)
    void plusAndMinusAreExactThenClamped(@ForAll("signed") Resources a, @ForAll("signed") Resources b) {
        Resources sum = a.plus(b);
        Resources difference = a.minus(b);
        for (int c = 0; c < 5; c++) {
            assertThat(component(sum, c)).isEqualTo(Extremes.sum(component(a, c), component(b, c)));
            assertThat(component(difference, c)).isEqualTo(Extremes.difference(component(a, c), component(b, c)));
        }
        for (String name : SCALARS) {
            long x = a.scalars().get(name);
            long y = b.scalars().get(name);
            assertThat(sum.scalars().get(name)).isEqualTo(Extremes.sum(x, y));
            assertThat(difference.scalars().get(name)).isEqualTo(Extremes.difference(x, y));
            assertThat(a.max(b).scalars().get(name)).isEqualTo(Math.max(x, y));
        }
    }

    @Property(tries = 1000)
    void aSumOfRequestsIsNonNegativeAndHoldsEachOfThem(@ForAll("amounts") Resources a, @ForAll("amounts") Resources b) {
        Resources sum = a.plus(b);
        assertThat(sum.isNonNegative()).isTrue();
        assertThat(a.fitsIn(sum)).as("a ≤ a + b").isTrue();
        assertThat(b.fitsIn(sum)).as("b ≤ a + b").isTrue();
        assertThat(sum.minus(a).isNonNegative()).isTrue();
    }

    @Property(tries = 1000)
    void fittingIsMonotone(
            @ForAll("amounts") Resources request,
            @ForAll("amounts") Resources less,
            @ForAll("signed") Resources capacity,
            @ForAll("amounts") Resources more) {
        Resources smaller = request.minus(less).max(Resources.ZERO.withScalars(zeroes(request)));
        Resources larger = capacity.plus(more);
        if (request.fitsIn(capacity)) {
            assertThat(smaller.fitsIn(capacity))
                    .as("a smaller request fits where a larger one does")
                    .isTrue();
            assertThat(request.fitsIn(larger))
                    .as("a request fits in a larger capacity")
                    .isTrue();
        }
        assertThat(request.fitsIn(request.plus(more))).isTrue();
    }

    @Property(tries = 1000)
    void insufficientIsEmptyExactlyWhenARequestOfEveryComponentFits(
            @ForAll("amounts") Resources asked, @ForAll("signed") Resources free) {
        Resources request = asked.withScalars(ScalarResources.EMPTY).max(new Resources(1, 1, 1, 1, 1));
        Resources room = free.withScalars(ScalarResources.EMPTY);
        assertThat(request.insufficient(room).isEmpty()).isEqualTo(request.fitsIn(room));
        assertThat(Resources.ZERO.insufficient(room))
                .as("asking nothing is never short")
                .isEmpty();
    }

    @Example
    void twoRequestsAtTheTopOfTheRangeSumToTheTopNotBelowZero() {
        // found by aSumOfRequestsIsNonNegativeAndHoldsEachOfThem: cpu 9223372036854775807m + 1m wrapped to
        // -9223372036854775808m, so the sum "fitted" in every node
        Resources huge = new Resources(Long.MAX_VALUE, Long.MAX_VALUE, 1, Long.MAX_VALUE, Long.MAX_VALUE);
        Resources sum = huge.plus(new Resources(1, 1, 1, 1, 1));
        assertThat(sum).isEqualTo(new Resources(Long.MAX_VALUE, Long.MAX_VALUE, 2, Long.MAX_VALUE, Long.MAX_VALUE));
        assertThat(sum.fitsIn(Resources.of(64_000, 256L << 30).withPods(110))).isFalse();
    }

    @Example
    void scalarSumsSaturateToo() {
        // ephemeral-storage: 10Ei is served as 9223372036854775807; a second pod asking 1Gi wrapped the node's sum
        ScalarResources tenEi = ScalarResources.of("ephemeral-storage", Long.MAX_VALUE);
        assertThat(tenEi.plus(ScalarResources.of("ephemeral-storage", 1L << 30)).get("ephemeral-storage"))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(ScalarResources.of("ephemeral-storage", Long.MIN_VALUE)
                        .minus(tenEi)
                        .get("ephemeral-storage"))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Example
    void theMaximumWithNoScalarsCountsAnAbsentResourceAsZero() {
        // found by plusAndMinusAreExactThenClamped: max with an empty map returned this map unchanged, so a negative
        // (over-committed) scalar stayed negative instead of max(-5, absent = 0) = 0
        Resources over = Resources.ZERO.withScalars(ScalarResources.of("nvidia.com/gpu", -5));
        assertThat(over.max(Resources.ZERO).scalars().get("nvidia.com/gpu")).isZero();
        assertThat(Resources.ZERO.max(over).scalars().get("nvidia.com/gpu")).isZero();
    }

    private static ScalarResources zeroes(Resources r) {
        Map<String, Long> m = new HashMap<>();
        r.scalars().forEach((name, i) -> m.put(name, 0L));
        return ScalarResources.of(m);
    }

    private static long component(Resources r, int c) {
        return switch (c) {
            case 0 -> r.milliCpu();
            case 1 -> r.memoryBytes();
            case 2 -> r.pods();
            case 3 -> r.batchMilliCpu();
            default -> r.batchMemoryBytes();
        };
    }

    @Provide
    Arbitrary<Resources> amounts() {
        return resources(Extremes.amounts());
    }

    @Provide
    Arbitrary<Resources> signed() {
        return resources(Extremes.signedAmounts());
    }

    private static Arbitrary<Resources> resources(Arbitrary<Long> amount) {
        Arbitrary<ScalarResources> scalars = Arbitraries.maps(Arbitraries.of(SCALARS), amount)
                .ofMaxSize(SCALARS.length)
                .map(ScalarResources::of);
        return Combinators.combine(amount, amount, amount, amount, amount, scalars)
                .as(Resources::new);
    }
}
