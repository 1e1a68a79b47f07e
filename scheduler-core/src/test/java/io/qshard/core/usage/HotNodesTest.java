package io.qshard.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.MigrationConfig;
import io.qshard.core.usage.HotNodes.State;
import org.junit.jupiter.api.Test;

/** hot 0.90 for 3 reports, cool 0.85, predictive. */
class HotNodesTest {
    private final HotNodes rule = new HotNodes(MigrationConfig.defaults().hotRule());

    @Test
    void threeReportsAboveTheThresholdMakeANodeHotUntilItCoolsBelowTheBand() {
        assertThat(rule.observe("n", 0.95, Double.NaN)).isEqualTo(State.NORMAL);
        assertThat(rule.observe("n", 0.92, Double.NaN)).isEqualTo(State.NORMAL);
        assertThat(rule.observe("n", 0.91, Double.NaN)).isEqualTo(State.HOT);
        assertThat(rule.state("n")).isEqualTo(State.HOT);
        // inside the band (0.85–0.90) it stays hot: no flapping
        assertThat(rule.observe("n", 0.88, Double.NaN)).isEqualTo(State.HOT);
        assertThat(rule.observe("n", 0.86, Double.NaN)).isEqualTo(State.HOT);
        assertThat(rule.observe("n", 0.84, Double.NaN)).isEqualTo(State.NORMAL);
        assertThat(rule.state("n")).isEqualTo(State.NORMAL);
    }

    @Test
    void aDipResetsTheCount() {
        rule.observe("n", 0.95, Double.NaN);
        rule.observe("n", 0.95, Double.NaN);
        rule.observe("n", 0.89, Double.NaN);
        assertThat(rule.observe("n", 0.95, Double.NaN)).isEqualTo(State.NORMAL);
    }

    @Test
    void aNodeHoveringAtTheThresholdDoesNotFlap() {
        // 0.89, 0.91, 0.89, 0.91 …: never three above in a row → never hot
        for (int i = 0; i < 20; i++) {
            assertThat(rule.observe("n", i % 2 == 0 ? 0.89 : 0.91, Double.NaN)).isEqualTo(State.NORMAL);
        }
    }

    @Test
    void aPredictedPeakAboveTheThresholdMarksItAtOnceAndLetsGoBelowTheBand() {
        assertThat(rule.observe("n", 0.70, 0.93)).isEqualTo(State.PREDICTED);
        assertThat(rule.observe("n", 0.70, 0.87))
                .as("the predicted peak is still inside the band")
                .isEqualTo(State.PREDICTED);
        assertThat(rule.observe("n", 0.70, 0.80)).isEqualTo(State.NORMAL);
        HotNodes reactive =
                new HotNodes(MigrationConfig.defaults().withPredictive(false).hotRule());
        assertThat(reactive.observe("n", 0.70, 0.99)).isEqualTo(State.NORMAL);
    }

    @Test
    void forgottenNodesAreNotHot() {
        rule.observe("n", 0.70, 0.99);
        rule.forget("n");
        assertThat(rule.state("n")).isEqualTo(State.NORMAL);
        // its count starts again: one report above the threshold is not three
        assertThat(rule.observe("n", 0.95, Double.NaN)).isEqualTo(State.NORMAL);
    }
}
