package io.qshard.predict.backtest;

import io.qshard.predict.UsagePredictor;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The baselines every model is compared with: the last value, the maximum of the last hour and the 95th percentile
 * of the last 24 hours of samples. Each predicts a peak that ignores {@code quantile}; its hotspot "probability" is 1
 * when that peak is above the threshold, else 0. Memory grows with the window (they exist for the backtest only).
 */
public abstract class Baseline implements UsagePredictor {
    private long lastTime = Long.MIN_VALUE;
    private long ignored;

    /** @return "last value" */
    public static Baseline lastValue() {
        return new Windowed("last-value", 0, 1.0);
    }

    /** @return the maximum over the last hour */
    public static Baseline maxLastHour() {
        return new Windowed("max-1h", 3600, 1.0);
    }

    /** @return the 95th percentile over the last 24 hours */
    public static Baseline p95Last24h() {
        return new Windowed("p95-24h", 86_400, 0.95);
    }

    /** @return the name in reports */
    public abstract String name();

    /** @return the baseline's peak for any horizon */
    protected abstract double peak();

    /** Records a valid sample. */
    protected abstract void add(long time, double value);

    @Override
    public final void observe(long timeSeconds, double value) {
        if (!UsagePredictor.validSample(value) || timeSeconds <= lastTime) {
            ignored++;
            return;
        }
        lastTime = timeSeconds;
        add(timeSeconds, value);
    }

    @Override
    public final double predictPeak(long horizonSeconds, double quantile) {
        return lastTime == Long.MIN_VALUE ? Double.NaN : peak();
    }

    @Override
    public final double hotspotProbability(double threshold, long horizonSeconds) {
        return lastTime == Long.MIN_VALUE ? Double.NaN : peak() > threshold ? 1 : 0;
    }

    @Override
    public final boolean predictsHotspot(double threshold, long horizonSeconds) {
        return lastTime != Long.MIN_VALUE && peak() > threshold;
    }

    @Override
    public final long ignoredSamples() {
        return ignored;
    }

    /** A percentile of the samples of a trailing time window (the last sample when the window is 0). */
    private static final class Windowed extends Baseline {
        private final String name;
        private final long window;
        private final double percentile;
        private final ArrayDeque<long[]> samples = new ArrayDeque<>();
        private double[] sorted = new double[64];
        private int size;

        Windowed(String name, long windowSeconds, double percentile) {
            this.name = name;
            this.window = windowSeconds;
            this.percentile = percentile;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected void add(long time, double value) {
            while (!samples.isEmpty() && samples.peekFirst()[0] <= time - window) {
                remove(Double.longBitsToDouble(samples.pollFirst()[1]));
            }
            samples.addLast(new long[] {time, Double.doubleToLongBits(value)});
            if (size == sorted.length) {
                sorted = Arrays.copyOf(sorted, size * 2);
            }
            int at = Arrays.binarySearch(sorted, 0, size, value);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(sorted, at, sorted, at + 1, size - at);
            sorted[at] = value;
            size++;
        }

        private void remove(double value) {
            int at = Arrays.binarySearch(sorted, 0, size, value);
            System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
            size--;
        }

        @Override
        protected double peak() {
            // nearest-rank percentile: the smallest value with at least `percentile` of the samples at or below it
            int rank = (int) Math.ceil(percentile * size);
            return sorted[Math.max(0, rank - 1)];
        }
    }
}
