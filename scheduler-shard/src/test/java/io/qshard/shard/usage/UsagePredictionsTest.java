package io.qshard.shard.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.predict.PredictorConfig;
import org.junit.jupiter.api.Test;

class UsagePredictionsTest {
    private static final long DAY = 86_400;

    /** Two nodes for two days: "hot" sits at 90 % cpu, "cool" at 20 %; one tier series on "cool". */
    private static UsagePredictions fed() {
        UsagePredictions u = new UsagePredictions(PredictorConfig.defaults());
        for (long t = 0; t <= 2 * DAY; t += 60) {
            u.observe("hot", UsagePredictions.NODE_CPU, t, 90 + (t / 60 % 3));
            u.observe("cool", UsagePredictions.NODE_CPU, t, 20 + (t / 60 % 5));
            u.observe("cool", "batch/cpu", t, 10);
        }
        return u;
    }

    @Test
    void hotspotProbabilitiesPerNode() {
        UsagePredictions u = fed();
        assertThat(u.hotspotProbability("hot")).isGreaterThan(0.9);
        assertThat(u.hotspotProbability("cool")).isLessThan(0.05);
        assertThat(u.hotspotProbability("unknown")).isZero();
        assertThat(u.seriesCount()).isEqualTo(3);
    }

    @Test
    void predictedPeaksPerSeries() {
        UsagePredictions u = fed();
        assertThat(u.predictedPeak("cool", "batch/cpu")).isBetween(10.0, 12.0);
        assertThat(u.predictedPeak("hot", UsagePredictions.NODE_CPU)).isBetween(92.0, 96.0);
        assertThat(u.predictedPeak("cool", "mid/cpu")).isNaN();
    }

    @Test
    void forgottenNodesLeaveTheView() {
        UsagePredictions u = fed();
        u.forget("hot");
        assertThat(u.hotspotProbability("hot")).isZero();
        assertThat(u.seriesCount()).isEqualTo(2);
    }
}
