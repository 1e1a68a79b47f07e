package io.qshard.predict.models;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Finds the period of a regularly binned series the way Crane's DSP predictor does: a candidate period must show as
 * a peak of the FFT periodogram <em>and</em> be confirmed by the autocorrelation at that lag, so noise that happens
 * to peak in the spectrum is not taken for a cycle.
 *
 * <p>The series is detrended first (least-squares line through the present bins): a ramp is not a cycle, though its
 * spectrum and autocorrelation look like one. Stateless and thread-safe. Input length must be a power of two (the
 * FFT's requirement).
 */
public final class PeriodDetector {
    /** Default minimum autocorrelation at the period's lag. */
    public static final double DEFAULT_MIN_AUTOCORRELATION = 0.3;
    /** Default minimum ratio of the period's spectral power to the median power. */
    public static final double DEFAULT_MIN_POWER_RATIO = 4.0;
    /** Default minimum share of present (non-missing) bins. */
    public static final double DEFAULT_MIN_COVERAGE = 0.6;

    private static final FastFourierTransformer FFT = new FastFourierTransformer(DftNormalization.STANDARD);
    private final double minAutocorrelation;
    private final double minPowerRatio;
    private final double minCoverage;

    /** A detector with the default thresholds. */
    public PeriodDetector() {
        this(DEFAULT_MIN_AUTOCORRELATION, DEFAULT_MIN_POWER_RATIO, DEFAULT_MIN_COVERAGE);
    }

    /**
     * @param minAutocorrelation autocorrelation required at the period's lag, in (0, 1)
     * @param minPowerRatio      spectral power at the period relative to the median power, &gt; 1
     * @param minCoverage        share of bins that must hold data, in (0, 1]
     */
    public PeriodDetector(double minAutocorrelation, double minPowerRatio, double minCoverage) {
        this.minAutocorrelation = minAutocorrelation;
        this.minPowerRatio = minPowerRatio;
        this.minCoverage = minCoverage;
    }

    /**
     * @param series     bin values, oldest first; NaN marks a missing bin; length a power of two
     * @param candidates candidate periods in bins, each ≤ length / 2
     * @return the confirmed candidate with the highest autocorrelation, or 0 when none is real
     */
    public int detect(double[] series, int[] candidates) {
        int n = series.length;
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("series length must be a power of two, was " + n);
        }
        int present = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXX = 0;
        double sumXY = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(series[i])) {
                present++;
                sumX += i;
                sumY += series[i];
                sumXX += (double) i * i;
                sumXY += i * series[i];
            }
        }
        if (present < minCoverage * n) {
            return 0;
        }
        double denominator = present * sumXX - sumX * sumX;
        double slope = denominator == 0 ? 0 : (present * sumXY - sumX * sumY) / denominator;
        double intercept = (sumY - slope * sumX) / present;
        double[] residual = new double[n];
        double[] centred = new double[n];
        for (int i = 0; i < n; i++) {
            residual[i] = Double.isNaN(series[i]) ? Double.NaN : series[i] - (intercept + slope * i);
            centred[i] = Double.isNaN(residual[i]) ? 0 : residual[i];
        }
        double mean = 0; // the residuals of a least-squares line have mean 0
        series = residual;
        double[] power = periodogram(centred);
        double median = median(power);
        int best = 0;
        double bestAcf = minAutocorrelation;
        for (int period : candidates) {
            if (period < 2 || period > n / 2) {
                continue;
            }
            double p = Math.max(
                    power[(int) Math.floor((double) n / period)],
                    power[Math.min(power.length - 1, (int) Math.ceil((double) n / period))]);
            if (p < minPowerRatio * median) {
                continue;
            }
            double acf = autocorrelation(series, mean, period);
            if (acf >= bestAcf) {
                bestAcf = acf;
                best = period;
            }
        }
        return best;
    }

    private static double[] periodogram(double[] centred) {
        Complex[] spectrum = FFT.transform(centred, TransformType.FORWARD);
        double[] power = new double[centred.length / 2];
        for (int k = 1; k < power.length; k++) {
            double a = spectrum[k].abs();
            power[k] = a * a;
        }
        return power;
    }

    private static double median(double[] power) {
        double[] sorted = java.util.Arrays.copyOfRange(power, 1, power.length);
        java.util.Arrays.sort(sorted);
        return Math.max(sorted[sorted.length / 2], 1e-12);
    }

    /** Autocorrelation at {@code lag} over the pairs where both bins hold data. */
    static double autocorrelation(double[] series, double mean, int lag) {
        double num = 0;
        double den = 0;
        int pairs = 0;
        int present = 0;
        for (int i = 0; i < series.length; i++) {
            if (!Double.isNaN(series[i])) {
                double d = series[i] - mean;
                den += d * d;
                present++;
                if (i + lag < series.length && !Double.isNaN(series[i + lag])) {
                    num += d * (series[i + lag] - mean);
                    pairs++;
                }
            }
        }
        if (pairs < lag / 2 || den == 0) {
            return 0;
        }
        // mean lagged product over the pairs, relative to the variance over the present bins
        return (num / pairs) / (den / present);
    }
}
