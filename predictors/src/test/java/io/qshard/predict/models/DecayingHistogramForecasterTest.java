package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DecayingHistogramForecasterTest {

    @Test
    void constantSeriesGivesTheConstantWithinOneBucket() {
        DecayingHistogramForecaster h = new DecayingHistogramForecaster();
        for (long t = 0; t < 86_400; t += 300) {
            h.observe(t, 37.5);
        }
        assertThat(h.forecastPeak(86_100, 1800)).isBetween(36.0, 38.0);
    }

    @Test
    void uniformValuesGiveTheirPercentile() {
        // values 0..99.9 equally often within minutes (no decay to speak of): p95 ≈ 95
        DecayingHistogramForecaster h = new DecayingHistogramForecaster();
        for (int i = 0; i < 1000; i++) {
            h.observe(i, i / 10.0);
        }
        assertThat(h.quantile(0.95)).isCloseTo(95, within(1.0));
        assertThat(h.quantile(0.5)).isCloseTo(50, within(1.0));
    }

    @Test
    void stepChangeFadesWithTheHalfLife() {
        // 1 day at 20, then 3 days at 60: the weight of the old day is 2^-3 of its original
        // against 3 days of new samples, so the median has moved to 60 and p95 stays at 60
        DecayingHistogramForecaster h = new DecayingHistogramForecaster(86_400, 0.5);
        long t = 0;
        for (; t < 86_400; t += 300) {
            h.observe(t, 20);
        }
        for (; t < 4 * 86_400; t += 300) {
            h.observe(t, 60);
        }
        assertThat(h.forecastPeak(t, 1800)).isBetween(60.0, 62.0);
    }

    @Test
    void weightsAreRenormalisedOverLongSeries() {
        // 200 half-lives: raw weights would reach 2^200 and overflow a float
        DecayingHistogramForecaster h = new DecayingHistogramForecaster(3600, 0.95);
        for (long t = 0; t < 200 * 3600; t += 300) {
            h.observe(t, 50);
        }
        assertThat(h.forecastPeak(200 * 3600, 1800)).isBetween(50.0, 52.0);
    }

    @Test
    void valuesAboveTheLastBucketLandInIt() {
        DecayingHistogramForecaster h = new DecayingHistogramForecaster();
        h.observe(0, 419);
        assertThat(h.forecastPeak(0, 1800)).isBetween(126.0, 128.0);
    }
}
