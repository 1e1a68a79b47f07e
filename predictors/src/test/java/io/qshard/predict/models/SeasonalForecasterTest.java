package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qshard.predict.Series;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class SeasonalForecasterTest {

    private static SeasonalForecaster feed(LongToDoubleFunction f, long until, long step) {
        SeasonalForecaster s = new SeasonalForecaster();
        for (long t = 0; t <= until; t += step) {
            s.observe(t, f.applyAsDouble(t));
        }
        return s;
    }

    @Test
    void pureDailySineIsDetectedAndForecast() {
        LongToDoubleFunction sine = Series.dailySine(50, 30);
        long now = 3 * Series.DAY + 5 * 3600; // 05:00 on day 4, an hour before the daily peak
        SeasonalForecaster s = feed(sine, now, 300);
        assertThat(s.periodSeconds()).isEqualTo(Series.DAY);
        // actual peak of (05:00, 05:30] is sin at 05:30 ≈ 50 + 30 × 0.9914 = 79.7; the profile reads the same
        // phase of earlier days in 15-minute buckets (up to 05:45, where sin ≈ 79.9)
        double actual = Series.maxOver(sine, now, now + 1800, 300);
        assertThat(s.forecastPeak(now, 1800)).isCloseTo(actual, within(1.5));
    }

    @Test
    void sineWithNoiseIsStillDetected() {
        LongToDoubleFunction noisy = Series.withNoise(Series.dailySine(40, 20), 5, 11);
        SeasonalForecaster s = feed(noisy, 3 * Series.DAY, 300);
        assertThat(s.periodSeconds()).isEqualTo(Series.DAY);
    }

    @Test
    void whiteNoiseHasNoPeriodAndFallsBackToTheRecentMax() {
        Random random = new Random(3);
        SeasonalForecaster s = new SeasonalForecaster();
        double lastHourMax = 0;
        long end = 3 * Series.DAY;
        for (long t = 0; t <= end; t += 300) {
            double v = 30 + 10 * random.nextGaussian();
            s.observe(t, Math.max(0, v));
            if (t >= end - 1800) { // the 30-minute bucket of `end` and the one before it
                lastHourMax = Math.max(lastHourMax, Math.max(0, v));
            }
        }
        assertThat(s.periodSeconds()).isZero();
        assertThat(s.forecastPeak(end, 1800)).isCloseTo(lastHourMax, within(0.01));
    }

    @Test
    void constantSeriesHasNoPeriod() {
        SeasonalForecaster s = feed(t -> 25, 3 * Series.DAY, 300);
        assertThat(s.periodSeconds()).isZero();
        assertThat(s.forecastPeak(3 * Series.DAY, 1800)).isEqualTo(25);
    }

    @Test
    void gapsLeaveMissingBucketsThatAreSkipped() {
        // a sine with a 6-hour hole on day 2 is still detected (coverage 91 %) and forecast
        LongToDoubleFunction sine = Series.dailySine(50, 30);
        SeasonalForecaster s = new SeasonalForecaster();
        long now = 3 * Series.DAY + 5 * 3600;
        for (long t = 0; t <= now; t += 300) {
            if (t < Series.DAY + 3600 * 10 || t > Series.DAY + 3600 * 16) {
                s.observe(t, sine.applyAsDouble(t));
            }
        }
        assertThat(s.periodSeconds()).isEqualTo(Series.DAY);
        assertThat(s.forecastPeak(now, 1800)).isCloseTo(Series.maxOver(sine, now, now + 1800, 300), within(1.5));
    }
}
