package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PeriodDetectorTest {
    private static final int[] CANDIDATES = {4, 8, 12, 24, 32, 48, 96};

    @Test
    void findsTheCandidateOfAPureCycle() {
        double[] series = new double[256];
        for (int i = 0; i < series.length; i++) {
            series[i] = 10 + Math.sin(2 * Math.PI * i / 32);
        }
        assertThat(new PeriodDetector().detect(series, CANDIDATES)).isEqualTo(32);
    }

    @Test
    void rejectsNoise() {
        Random random = new Random(5);
        double[] series = new double[256];
        for (int i = 0; i < series.length; i++) {
            series[i] = random.nextGaussian();
        }
        assertThat(new PeriodDetector().detect(series, CANDIDATES)).isZero();
    }

    @Test
    void rejectsSeriesWithTooFewPresentBins() {
        double[] series = new double[256];
        for (int i = 0; i < series.length; i++) {
            series[i] = i % 3 == 0 ? Math.sin(2 * Math.PI * i / 96) : Double.NaN;
        }
        assertThat(new PeriodDetector().detect(series, CANDIDATES)).isZero();
    }

    @Test
    void spikesEveryFourBinsAreAPeriod() {
        // hourly spikes in 15-minute bins, the pattern of Azure's "periodic" VMs
        double[] series = new double[256];
        for (int i = 0; i < series.length; i++) {
            series[i] = i % 4 == 0 ? 60 : 5;
        }
        assertThat(new PeriodDetector().detect(series, CANDIDATES)).isIn(4, 8, 12, 24, 32, 48, 96);
    }

    @Test
    void lengthMustBeAPowerOfTwo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new PeriodDetector().detect(new double[100], CANDIDATES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two");
    }
}
