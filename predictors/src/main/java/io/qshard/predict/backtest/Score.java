package io.qshard.predict.backtest;

/**
 * Accumulates the backtest metrics of one contender over evaluation points (a prediction made at a sample time and
 * the actual maximum of the samples in the following horizon). Not thread-safe; {@link #merge} combines partial
 * scores.
 */
public final class Score {
    long points;
    double absoluteError;
    long under;
    long over;
    double overSum;
    double excessSum;
    long truePositive;
    long falsePositive;
    long falseNegative;

    /** Adds one evaluation point. */
    public void add(double predicted, double actual, boolean predictedHot, boolean actuallyHot) {
        points++;
        absoluteError += Math.abs(predicted - actual);
        if (actual > predicted) {
            under++;
        } else if (predicted > actual) {
            over++;
            overSum += predicted - actual;
            excessSum += predicted - actual;
        }
        if (predictedHot && actuallyHot) {
            truePositive++;
        } else if (predictedHot) {
            falsePositive++;
        } else if (actuallyHot) {
            falseNegative++;
        }
    }

    /** Adds another score's points to this one. */
    public void merge(Score other) {
        points += other.points;
        absoluteError += other.absoluteError;
        under += other.under;
        over += other.over;
        overSum += other.overSum;
        excessSum += other.excessSum;
        truePositive += other.truePositive;
        falsePositive += other.falsePositive;
        falseNegative += other.falseNegative;
    }

    /** @return evaluation points */
    public long points() {
        return points;
    }

    /** @return mean absolute error of the predicted peak, in the series' unit */
    public double mae() {
        return points == 0 ? Double.NaN : absoluteError / points;
    }

    /** @return share of points where the actual peak was above the prediction, in [0, 1] */
    public double underPredictionRate() {
        return points == 0 ? Double.NaN : (double) under / points;
    }

    /** @return mean of (predicted − actual) over the points where the prediction was above the actual peak */
    public double overProvisioning() {
        return over == 0 ? 0 : overSum / over;
    }

    /** @return mean of max(0, predicted − actual) over all points: the reserved-but-unused capacity per point */
    public double meanExcess() {
        return points == 0 ? Double.NaN : excessSum / points;
    }

    /** @return hotspot precision, NaN when nothing was predicted hot */
    public double precision() {
        long predicted = truePositive + falsePositive;
        return predicted == 0 ? Double.NaN : (double) truePositive / predicted;
    }

    /** @return hotspot recall, NaN when nothing was hot */
    public double recall() {
        long actual = truePositive + falseNegative;
        return actual == 0 ? Double.NaN : (double) truePositive / actual;
    }

    /** @return hotspot F1 (0 when there were hotspots and none was found, NaN when there were none at all) */
    public double f1() {
        long denominator = 2 * truePositive + falsePositive + falseNegative;
        return denominator == 0 ? Double.NaN : 2.0 * truePositive / denominator;
    }

    /** @return number of actual hotspot points */
    public long hotPoints() {
        return truePositive + falseNegative;
    }
}
