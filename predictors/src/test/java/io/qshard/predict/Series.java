package io.qshard.predict;

import java.util.Random;
import java.util.function.LongToDoubleFunction;

/** Synthetic series whose answers are known, shared by the model tests. */
public final class Series {
    /** One day in seconds. */
    public static final long DAY = 86_400;

    private Series() {}

    /** A daily sine between {@code mean − amplitude} and {@code mean + amplitude}, peaking at 06:00. */
    public static LongToDoubleFunction dailySine(double mean, double amplitude) {
        return t -> mean + amplitude * Math.sin(2 * Math.PI * t / DAY);
    }

    /** {@code base} plus Gaussian noise of the given standard deviation, deterministic for a seed. */
    public static LongToDoubleFunction withNoise(LongToDoubleFunction base, double sd, long seed) {
        Random random = new Random(seed);
        return t -> Math.max(0, base.applyAsDouble(t) + sd * random.nextGaussian());
    }

    /** Maximum of {@code f} over {@code (from, to]} sampled every {@code step} seconds. */
    public static double maxOver(LongToDoubleFunction f, long from, long to, long step) {
        double m = Double.NEGATIVE_INFINITY;
        for (long t = from + step; t <= to; t += step) {
            m = Math.max(m, f.applyAsDouble(t));
        }
        return m;
    }
}
