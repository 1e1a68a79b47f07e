package io.qshard.predict.selection;

import java.nio.ByteBuffer;

/**
 * Picks the hotspot estimator per series by its rolling F1: for every matured window each candidate's decision at
 * open time ("probability ≥ cut") is scored against whether the window's peak crossed the threshold, in decaying
 * true-positive / false-positive / false-negative counts; the candidate with the highest F1 answers. F1 is what an
 * operator feels — hotspots caught against false alarms — and it ignores the easy, overwhelming "quiet and stayed
 * quiet" windows that would make every estimator look alike under a Brier score.
 *
 * <p>A fallback candidate answers until a series has had a hotspot and for as long as no other candidate beats the
 * fallback's F1 by the margin. Not thread-safe.
 */
public final class HotspotSelector {
    private final double halfLife;
    private final int fallback;
    private final double margin;
    private final float[] truePositive;
    private final float[] falsePositive;
    private final float[] falseNegative;
    private long lastUpdate = Long.MIN_VALUE;

    /**
     * @param candidates      number of estimators (at most 24: decisions travel as a bit mask stored exactly in a
     *                        float)
     * @param halfLifeSeconds half-life of the counts, &gt; 0
     * @param fallback        the candidate that answers by default
     * @param margin          F1 by which another candidate must beat the fallback to answer, ≥ 0
     */
    public HotspotSelector(int candidates, long halfLifeSeconds, int fallback, double margin) {
        if (candidates > 24) {
            throw new IllegalArgumentException("at most 24 hotspot candidates, got " + candidates);
        }
        this.halfLife = halfLifeSeconds;
        this.fallback = fallback;
        this.margin = margin;
        this.truePositive = new float[candidates];
        this.falsePositive = new float[candidates];
        this.falseNegative = new float[candidates];
    }

    /**
     * @param time      the window's opening time (non-decreasing)
     * @param decisions bit {@code c} set when candidate {@code c} predicted a hotspot
     * @param valid     bit {@code c} set when candidate {@code c} could answer at all
     * @param hot       whether the window's peak crossed the threshold
     */
    public void record(long time, int decisions, int valid, boolean hot) {
        if (lastUpdate != Long.MIN_VALUE && time > lastUpdate) {
            float decay = (float) Math.pow(2, -(time - lastUpdate) / halfLife);
            for (int c = 0; c < truePositive.length; c++) {
                truePositive[c] *= decay;
                falsePositive[c] *= decay;
                falseNegative[c] *= decay;
            }
        }
        lastUpdate = Math.max(lastUpdate, time);
        for (int c = 0; c < truePositive.length; c++) {
            if ((valid >>> c & 1) == 0) {
                continue;
            }
            boolean predicted = (decisions >>> c & 1) != 0;
            if (predicted && hot) {
                truePositive[c]++;
            } else if (predicted) {
                falsePositive[c]++;
            } else if (hot) {
                falseNegative[c]++;
            }
        }
    }

    /** @return the candidate with the highest rolling F1 if it beats the fallback's by the margin, else the fallback */
    public int best() {
        int best = fallback;
        double bestF1 = f1(fallback) + margin;
        for (int c = 0; c < truePositive.length; c++) {
            double f1 = f1(c);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = c;
            }
        }
        return best;
    }

    /** @return candidate {@code c}'s rolling F1; NaN (never chosen over the fallback) before any hotspot */
    private double f1(int c) {
        double denominator = 2 * truePositive[c] + falsePositive[c] + falseNegative[c];
        return truePositive[c] + falseNegative[c] > 0 ? 2 * truePositive[c] / denominator : Double.NaN;
    }

    /** Writes the counts. */
    public void save(ByteBuffer out) {
        out.putLong(lastUpdate);
        for (int c = 0; c < truePositive.length; c++) {
            out.putFloat(truePositive[c]).putFloat(falsePositive[c]).putFloat(falseNegative[c]);
        }
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        lastUpdate = in.getLong();
        for (int c = 0; c < truePositive.length; c++) {
            truePositive[c] = in.getFloat();
            falsePositive[c] = in.getFloat();
            falseNegative[c] = in.getFloat();
        }
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 8 + 12 * truePositive.length;
    }
}
