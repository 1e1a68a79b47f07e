package io.qshard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.qshard.simulator.BackgroundLoad;
import io.qshard.simulator.SyntheticLoad;
import io.qshard.simulator.TraceLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ScaledLoad}: the factor makes the highest fleet mean over the sampled horizon the target, clamped to
 * [0.1, 10]; each scaled value is capped at 1.0; memory and the nodes' own shapes are left alone.
 */
class ScaledLoadTest {
    private static final List<String> TWO = List.of("n0", "n1");

    /** Node index i uses base[i] + (t == peakAt ? bump : 0) cpu; memory 0.5 + index / 10. */
    private record Stepped(double[] base, double peakAt, double bump) implements BackgroundLoad {
        @Override
        public double cpu(String node, int index, double elapsedSeconds) {
            return base[index] + (elapsedSeconds == peakAt ? bump : 0);
        }

        @Override
        public double memory(String node, int index, double elapsedSeconds) {
            return 0.5 + index / 10.0;
        }
    }

    @Test
    void aConstantLoadIsScaledToTheTarget() {
        ScaledLoad s = ScaledLoad.toPeak(TraceLoad.constant(0.1, 0.4), TWO, 100, 5, 0.25);
        assertThat(s.factor()).isCloseTo(2.5, within(1e-9));
        assertThat(s.peak()).isCloseTo(0.1, within(1e-9));
        assertThat(s.scaledPeak()).isCloseTo(0.25, within(1e-9));
        assertThat(s.cpu("n0", 0, 37)).isCloseTo(0.25, within(1e-9));
        assertThat(s.memory("n0", 0, 37)).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void thePeakIsTheHighestFleetMeanOverTime() {
        // node 0 peaks alone at t = 10 (0.1 + 0.6); the fleet mean then is (0.7 + 0.3) / 2 = 0.5, not node 0's 0.7
        Stepped load = new Stepped(new double[] {0.1, 0.3}, 10, 0.6);
        BackgroundLoad onlyNode0 = new BackgroundLoad() {
            @Override
            public double cpu(String node, int index, double t) {
                return index == 0 ? load.cpu(node, index, t) : load.base()[index];
            }

            @Override
            public double memory(String node, int index, double t) {
                return load.memory(node, index, t);
            }
        };
        ScaledLoad s = ScaledLoad.toPeak(onlyNode0, TWO, 20, 5, 0.25);
        assertThat(s.peak()).isCloseTo(0.5, within(1e-9));
        assertThat(s.factor()).isCloseTo(0.5, within(1e-9));
        assertThat(s.cpu("n1", 1, 0)).isCloseTo(0.15, within(1e-9));
        assertThat(s.cpu("n0", 0, 10)).isCloseTo(0.35, within(1e-9));
        assertThat(s.memory("n1", 1, 10)).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void theHorizonsEndIsSampledAndNothingBeyondIt() {
        Stepped atEnd = new Stepped(new double[] {0.1, 0.1}, 20, 0.4);
        assertThat(ScaledLoad.toPeak(atEnd, TWO, 20, 5, 0.25).peak()).isCloseTo(0.5, within(1e-9));
        Stepped beyond = new Stepped(new double[] {0.1, 0.1}, 25, 0.4);
        assertThat(ScaledLoad.toPeak(beyond, TWO, 20, 5, 0.25).peak()).isCloseTo(0.1, within(1e-9));
        Stepped between = new Stepped(new double[] {0.1, 0.1}, 12, 0.4); // not on the 5 s grid: not seen
        assertThat(ScaledLoad.toPeak(between, TWO, 20, 5, 0.25).peak()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void eachScaledValueIsCappedAtTheWholeNode() {
        ScaledLoad s = ScaledLoad.toPeak(new Stepped(new double[] {0.9, 0.1}, -1, 0), TWO, 10, 5, 1.0);
        assertThat(s.factor()).isCloseTo(2, within(1e-9));
        assertThat(s.cpu("n0", 0, 5)).isEqualTo(1.0);
        assertThat(s.cpu("n1", 1, 5)).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void theFactorIsClampedToATenthAndTen() {
        assertThat(ScaledLoad.toPeak(TraceLoad.constant(0.01, 0.4), TWO, 10, 5, 0.5)
                        .factor())
                .isEqualTo(ScaledLoad.MAX_FACTOR);
        ScaledLoad low = ScaledLoad.toPeak(TraceLoad.constant(1.0, 0.4), TWO, 10, 5, 0.05);
        assertThat(low.factor()).isEqualTo(ScaledLoad.MIN_FACTOR);
        assertThat(low.cpu("n0", 0, 0)).isCloseTo(0.1, within(1e-9));
        ScaledLoad idle = ScaledLoad.toPeak(TraceLoad.constant(0, 0.4), TWO, 10, 5, 0.25);
        assertThat(idle.factor()).isEqualTo(ScaledLoad.MAX_FACTOR);
        assertThat(idle.cpu("n0", 0, 3)).isZero();
    }

    @Test
    void theSyntheticLoadOfTheDemoPeaksAtTheTarget() {
        // 200 nodes, the default demo's run (30 s start-up + 60 s + 180 s at 300x): the scaled fleet mean's highest
        // sample is the target, and every sample stays in [0, 1]
        List<String> names = DemoFleet.names(200);
        ScaledLoad s = ScaledLoad.toPeak(new SyntheticLoad(1, 300), names, 270, 5, 0.25);
        double peak = 0;
        for (int k = 0; k <= 54; k++) {
            double sum = 0;
            for (int i = 0; i < names.size(); i++) {
                double v = s.cpu(names.get(i), i, 5.0 * k);
                assertThat(v).isBetween(0.0, 1.0);
                sum += v;
            }
            peak = Math.max(peak, sum / names.size());
        }
        assertThat(peak).isCloseTo(0.25, within(0.005)); // the cap at 1.0 may shave a little off
        assertThat(s.factor()).isBetween(0.5, 1.0); // the synthetic fleet peaks near 0.32 in the afternoon
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        BackgroundLoad l = TraceLoad.constant(0.1, 0.1);
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, TWO, 10, 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--prod-peak");
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, TWO, 10, 5, 1.5)).hasMessageContaining("--prod-peak");
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, TWO, 10, 5, Double.NaN)).hasMessageContaining("--prod-peak");
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, List.of(), 10, 5, 0.25)).hasMessageContaining("nodes");
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, TWO, -1, 5, 0.25)).hasMessageContaining("horizon");
        assertThatThrownBy(() -> ScaledLoad.toPeak(l, TWO, 10, 0, 0.25)).hasMessageContaining("step");
    }
}
