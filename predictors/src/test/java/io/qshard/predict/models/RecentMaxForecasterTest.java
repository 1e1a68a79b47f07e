package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentMaxForecasterTest {

    @Test
    void forecastIsTheMaximumOfTheLastHour() {
        RecentMaxForecaster r = new RecentMaxForecaster();
        r.observe(0, 90); // more than an hour before the end: forgotten
        for (long t = 600; t <= 7200; t += 60) {
            r.observe(t, t == 6000 ? 70 : 30);
        }
        assertThat(r.forecastPeak(7200, 1800)).isEqualTo(70);
    }

    @Test
    void afterAGapOnlyNewSamplesCount() {
        RecentMaxForecaster r = new RecentMaxForecaster();
        r.observe(0, 95);
        r.observe(5 * 3600, 12);
        assertThat(r.forecastPeak(5 * 3600, 1800)).isEqualTo(12);
    }

    @Test
    void emptyForecasterHasNoForecast() {
        assertThat(new RecentMaxForecaster().forecastPeak(0, 1800)).isNaN();
    }
}
