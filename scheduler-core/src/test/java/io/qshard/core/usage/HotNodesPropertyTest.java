package io.qshard.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.testing.Extremes;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * {@link HotNodes} fed any doubles — NaN, ±∞, ±0, the extremes — as usage and predicted peak, under any valid rule:
 * no exception (a rule out of range is refused when built), hotReports consecutive reports above the threshold always make a node hot, a report clearly below the
 * cool threshold (and no predicted peak at or above it) always makes it normal, and a usage that is not a number never
 * counts as hot.
 */
class HotNodesPropertyTest {

    @Property(tries = 1000)
    void theRuleHoldsForAnyNumbers(
            @ForAll("rules") HotNodes.Rule rule, @ForAll("reports") List<Tuple2<Double, Double>> reports) {
        HotNodes hot = new HotNodes(rule);
        int above = 0;
        for (Tuple2<Double, Double> report : reports) {
            double usage = report.get1();
            double peak = report.get2();
            HotNodes.State before = hot.state("n");
            HotNodes.State state = hot.observe("n", usage, peak);
            assertThat(hot.state("n")).isEqualTo(state);
            above = usage > rule.hotThreshold() ? above + 1 : 0;
            if (above >= rule.hotReports()) {
                assertThat(state)
                        .as("%d reports above %s", above, rule.hotThreshold())
                        .isEqualTo(HotNodes.State.HOT);
            }
            boolean peakBelowCool = !rule.predictive() || !(peak >= rule.coolThreshold());
            if (usage < rule.coolThreshold() && peakBelowCool) {
                assertThat(state).as("usage %s under %s", usage, rule).isEqualTo(HotNodes.State.NORMAL);
            }
            if (Double.isNaN(usage) && before != HotNodes.State.HOT) {
                assertThat(state).as("NaN usage never makes a node hot").isNotEqualTo(HotNodes.State.HOT);
            }
        }
        hot.forget("n");
        assertThat(hot.state("n")).isEqualTo(HotNodes.State.NORMAL);
    }

    @Provide
    Arbitrary<HotNodes.Rule> rules() {
        Arbitrary<Double> hotThreshold = Arbitraries.doubles().between(0, false, 1, true);
        return Combinators.combine(
                        hotThreshold,
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.of(true, false),
                        Arbitraries.doubles().between(0.01, 1))
                .as((h, n, predictive, coolShare) -> new HotNodes.Rule(h, n, predictive, h * coolShare));
    }

    @Property(tries = 300)
    void aRuleOutOfRangeIsRefusedNamingTheParameter(
            @ForAll("anyDouble") double hotThreshold, @ForAll int hotReports, @ForAll("anyDouble") double cool) {
        boolean valid = hotThreshold > 0 && hotThreshold <= 1 && hotReports >= 1 && cool > 0 && cool <= hotThreshold;
        if (valid) {
            assertThat(new HotNodes.Rule(hotThreshold, hotReports, true, cool).hotReports())
                    .isEqualTo(hotReports);
        } else {
            assertThatThrownBy(() -> new HotNodes.Rule(hotThreshold, hotReports, true, cool))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("(hotThreshold|hotReports|coolThreshold) must be .*");
        }
    }

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(Extremes.doubles(), Arbitraries.doubles().between(0, 1));
    }

    @Provide
    Arbitrary<List<Tuple2<Double, Double>>> reports() {
        Arbitrary<Double> value =
                Arbitraries.oneOf(Extremes.doubles(), Arbitraries.doubles().between(0, 1.2));
        return Combinators.combine(value, value).as(Tuple::of).list().ofMaxSize(12);
    }
}
