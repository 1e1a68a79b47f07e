package io.qshard.bench;

import io.qshard.predict.PredictorConfig;
import io.qshard.predict.SeriesPredictor;
import java.util.SplittableRandom;

/**
 * N series predictors (the default ensemble) warmed with two days of a synthetic usage series each — a daily cycle
 * with a random phase and level, noise and occasional bursts, sampled every 60 s — as a scheduler's usage view holds
 * them. Shared by the predictor benchmarks.
 */
final class PredictorFleet {
    static final long STEP_SECONDS = 60;
    private static final int VALUES = 1 << 14;

    final SeriesPredictor[] predictors;
    final double[] values = new double[VALUES];
    long now;

    PredictorFleet(int series, long warmSeconds) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < VALUES; i++) {
            double daily = 30 + 20 * Math.sin(2 * Math.PI * i * STEP_SECONDS / 86_400.0);
            double burst = random.nextInt(200) == 0 ? 40 : 0;
            values[i] = Math.max(0, Math.min(100, daily + 6 * random.nextGaussian() + burst));
        }
        predictors = new SeriesPredictor[series];
        for (int s = 0; s < series; s++) {
            predictors[s] = SeriesPredictor.ensemble(PredictorConfig.defaults());
        }
        for (now = 0; now < warmSeconds; now += STEP_SECONDS) {
            for (int s = 0; s < series; s++) {
                predictors[s].observe(now, value(s, now));
            }
        }
    }

    /** The value of series {@code s} at time {@code t}: the shared curve, shifted per series. */
    double value(int s, long t) {
        return values[(int) ((t / STEP_SECONDS + s * 977L) & (VALUES - 1))];
    }
}
