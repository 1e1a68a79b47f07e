package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HoltForecasterTest {

    @Test
    void constantSeriesForecastsTheConstant() {
        HoltForecaster holt = new HoltForecaster();
        for (long t = 0; t < 86_400; t += 60) {
            holt.observe(t, 42);
        }
        assertThat(holt.forecastPeak(86_340, 1800)).isCloseTo(42, within(1e-9));
        assertThat(holt.trend()).isCloseTo(0, within(1e-12));
    }

    @Test
    void linearRampLearnsTheSlopeAndForecastsAhead() {
        // value = 10 + 0.01 t (0.6 per minute); after 6 h the level lags the ramp by about slope × levelTau
        // (6 per 600 s) minus what the trend adds back, so the trend must be near 0.01/s
        HoltForecaster holt = new HoltForecaster();
        long t = 0;
        for (; t <= 6 * 3600; t += 60) {
            holt.observe(t, 10 + 0.01 * t);
        }
        long now = t - 60;
        assertThat(holt.trend()).isCloseTo(0.01, within(0.001));
        // damped drift over 30 min: 0.01 × 3600 × (1 − e^−0.5) = 14.2; the forecast is above the last value
        assertThat(holt.forecastPeak(now, 1800))
                .isGreaterThan(10 + 0.01 * now)
                .isLessThan(10 + 0.01 * (now + 1800) + 1);
    }

    @Test
    void gapRestartsLevelAndTrend() {
        HoltForecaster holt = new HoltForecaster();
        for (long t = 0; t <= 3 * 3600; t += 60) {
            holt.observe(t, 0.01 * t); // steep ramp
        }
        holt.observe(3 * 3600 + 7200, 5); // two hours later, at 5
        assertThat(holt.level()).isEqualTo(5);
        assertThat(holt.trend()).isZero();
        assertThat(holt.forecastPeak(3 * 3600 + 7200, 1800)).isEqualTo(5);
    }

    @Test
    void irregularSamplingConvergesLikeRegular() {
        HoltForecaster regular = new HoltForecaster();
        HoltForecaster irregular = new HoltForecaster();
        java.util.Random random = new java.util.Random(7);
        long end = 3600 + 4 * 3600;
        for (long t = 0; t <= end; t += 10) {
            regular.observe(t, t < 3600 ? 20 : 60);
        }
        for (long t = 0; t <= end; t += 30 + random.nextInt(90)) {
            irregular.observe(t, t < 3600 ? 20 : 60);
        }
        // the step teaches a trend that overshoots and fades with the trend's time constant (1 h); four hours
        // after the step both levels are back within a few points of 60, whatever the sampling
        assertThat(regular.level()).isCloseTo(60, within(3.0));
        assertThat(irregular.level()).isCloseTo(60, within(3.0));
    }
}
