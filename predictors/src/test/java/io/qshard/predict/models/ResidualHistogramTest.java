package io.qshard.predict.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResidualHistogramTest {

    @Test
    void quantilesAndCdfOfUniformResiduals() {
        // residuals −10..+9.99 evenly, within seconds (no decay): q0.9 ≈ 8, CDF(0) ≈ 0.5
        ResidualHistogram h = new ResidualHistogram(86_400);
        for (int i = 0; i < 2000; i++) {
            h.add(i / 100, -10 + i / 100.0);
        }
        assertThat(h.quantile(0.9)).isCloseTo(8, within(0.5));
        assertThat(h.quantile(0.5)).isCloseTo(0, within(0.5));
        assertThat(h.cdf(0)).isCloseTo(0.5, within(0.03));
        assertThat(h.cdf(-50)).isZero();
        assertThat(h.cdf(50)).isCloseTo(1, within(1e-6));
    }

    @Test
    void oldResidualsFade() {
        // a week of +10 residuals, then a week of −10: the median follows the recent week (half-life 1 day)
        ResidualHistogram h = new ResidualHistogram(86_400);
        for (long t = 0; t < 14 * 86_400; t += 600) {
            h.add(t, t < 7 * 86_400 ? 10 : -10);
        }
        assertThat(h.quantile(0.5)).isCloseTo(-10, within(2.0));
    }

    @Test
    void emptyHistogramHasNoQuantile() {
        assertThat(new ResidualHistogram(60).quantile(0.5)).isNaN();
        assertThat(new ResidualHistogram(60).cdf(0)).isNaN();
    }
}
