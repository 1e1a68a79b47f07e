package io.qshard.predict.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaselineTest {

    @Test
    void windowsAndPercentiles() {
        Baseline last = Baseline.lastValue();
        Baseline max = Baseline.maxLastHour();
        Baseline p95 = Baseline.p95Last24h();
        // 0..99 one per minute for 100 minutes: last = 99, max of the last hour = 99, p95 of all 100 = 94 (rank 95)
        for (int i = 0; i < 100; i++) {
            for (Baseline b : new Baseline[] {last, max, p95}) {
                b.observe(i * 60L, (i * 37) % 100); // a permutation of 0..99
            }
        }
        assertThat(last.predictPeak(1800, 0.9)).isEqualTo((99 * 37) % 100);
        assertThat(p95.predictPeak(1800, 0.9)).isEqualTo(94);
        // the last hour (t > 2340 s) holds minutes 40..99; 99 comes at minute 27 (27 × 37 = 999), outside it,
        // and 98 at minute 54 (54 × 37 = 1998), inside
        assertThat(max.predictPeak(1800, 0.9)).isEqualTo(98);
        assertThat(p95.hotspotProbability(90, 1800)).isEqualTo(1);
        assertThat(p95.hotspotProbability(95, 1800)).isZero();
    }

    @Test
    void oldSamplesLeaveTheWindow() {
        Baseline max = Baseline.maxLastHour();
        max.observe(0, 90);
        max.observe(3600, 10);
        assertThat(max.predictPeak(1800, 0.9)).isEqualTo(10);
    }
}
