package io.qshard.predict.selection;

import java.nio.ByteBuffer;

/**
 * The rolling backtest that picks a model per series: every matured window scores each model's upper bound with the
 * pinball (quantile) loss at the selection quantile, scores decay with a half-life, and the model with the lowest
 * score wins. The pinball loss rewards coverage and punishes needless height together, so a model is chosen for being
 * tight <em>and</em> right on this series, not on average.
 *
 * <p>Not thread-safe.
 */
public final class ModelSelector {
    private final double quantile;
    private final double halfLife;
    private final double[] loss;
    private final double[] weight;
    private long lastUpdate = Long.MIN_VALUE;

    /**
     * @param models          number of competing models
     * @param quantile        the selection quantile, in (0, 1)
     * @param halfLifeSeconds half-life of the scores, &gt; 0
     */
    public ModelSelector(int models, double quantile, long halfLifeSeconds) {
        this.quantile = quantile;
        this.halfLife = halfLifeSeconds;
        this.loss = new double[models];
        this.weight = new double[models];
    }

    /** Pinball loss of {@code predicted} for {@code actual} at quantile {@code q}. */
    public static double pinball(double actual, double predicted, double q) {
        double d = actual - predicted;
        return d > 0 ? q * d : (q - 1) * d;
    }

    /** Scores one matured window by the pinball loss of each bound; models whose bound is NaN (cold) are not scored. */
    public void record(long time, double actual, float[] bounds) {
        double[] losses = new double[bounds.length];
        for (int m = 0; m < bounds.length; m++) {
            losses[m] = Float.isNaN(bounds[m]) ? Double.NaN : pinball(actual, bounds[m], quantile);
        }
        recordLosses(time, losses);
    }

    /** Scores one matured window with precomputed losses (NaN: not scored). */
    public void recordLosses(long time, double[] losses) {
        if (lastUpdate != Long.MIN_VALUE && time > lastUpdate) {
            double decay = Math.pow(2, -(time - lastUpdate) / halfLife);
            for (int m = 0; m < loss.length; m++) {
                loss[m] *= decay;
                weight[m] *= decay;
            }
        }
        lastUpdate = Math.max(lastUpdate, time);
        for (int m = 0; m < loss.length; m++) {
            if (!Double.isNaN(losses[m])) {
                loss[m] += losses[m];
                weight[m] += 1;
            }
        }
    }

    /** @return the model with the lowest mean decayed loss among those scored, or -1 when none has been scored */
    public int best() {
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int m = 0; m < loss.length; m++) {
            if (weight[m] > 0) {
                double score = loss[m] / weight[m];
                if (score < bestScore) {
                    bestScore = score;
                    best = m;
                }
            }
        }
        return best;
    }

    /** @return the mean decayed loss of model {@code m}, NaN when it has not been scored */
    public double score(int m) {
        return weight[m] > 0 ? loss[m] / weight[m] : Double.NaN;
    }

    /** Writes the scores. */
    public void save(ByteBuffer out) {
        out.putLong(lastUpdate);
        for (int m = 0; m < loss.length; m++) {
            out.putDouble(loss[m]).putDouble(weight[m]);
        }
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        lastUpdate = in.getLong();
        for (int m = 0; m < loss.length; m++) {
            loss[m] = in.getDouble();
            weight[m] = in.getDouble();
        }
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 8 + 16 * loss.length;
    }
}
