package io.qshard.predict.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FutureMaxTest {

    @Test
    void maximumOfTheFollowingWindowExcludingTheSampleItself() {
        long[] t = {0, 60, 120, 180, 1000, 1060};
        double[] v = {50, 10, 30, 20, 5, Double.NaN};
        double[] m = FutureMax.of(t, v, 120);
        // (0,120] → 10, 30 → 30; (60,180] → 30; (120,240] → 20; (180,300] → none; (1000,1120] → only NaN
        assertThat(m[0]).isEqualTo(30);
        assertThat(m[1]).isEqualTo(30);
        assertThat(m[2]).isEqualTo(20);
        assertThat(m[3]).isNaN();
        assertThat(m[4]).isNaN();
        assertThat(m[5]).isNaN();
    }
}
