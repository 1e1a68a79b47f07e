package io.qshard.predict.backtest;

import java.util.Arrays;

/** The actual outcome of every evaluation point: the maximum of the samples in {@code (t_i, t_i + horizon]}. */
final class FutureMax {
    private FutureMax() {}

    /**
     * @param time    strictly increasing sample times
     * @param values  sample values (NaN samples are skipped)
     * @param horizon window length in seconds
     * @return per sample, the maximum over its window, NaN when the window holds no sample
     */
    static double[] of(long[] time, double[] values, long horizon) {
        int n = time.length;
        double[] result = new double[n];
        Arrays.fill(result, Double.NaN);
        int[] deque = new int[n];
        int head = 0;
        int tail = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            while (right < n && time[right] <= time[i] + horizon) {
                if (!Double.isNaN(values[right])) {
                    while (tail > head && values[deque[tail - 1]] <= values[right]) {
                        tail--;
                    }
                    deque[tail++] = right;
                }
                right++;
            }
            while (tail > head && deque[head] <= i) {
                head++;
            }
            if (tail > head) {
                result[i] = values[deque[head]];
            }
        }
        return result;
    }
}
