package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * P(the coming window's peak crosses the configured threshold {@code T}), learnt per series from two features:
 * where the last sample stands and where the last hour's maximum stands, both relative to {@code T}, in 7 bands each
 * (below −30, −30…−15, −15…−7, −7…−3, −3…0, 0…+5, above +5). Each of the 49 cells keeps a decaying count of windows
 * and of hot windows ({@link HalvingCounts}, 196 bytes); a cell with little data backs off to its last-value row,
 * then to the series' rate.
 *
 * <p>This is what separates a machine that bursts past the threshold again and again (a recent burst says more than
 * the current value) from one that sits near it (the current value says it all). It answers for {@code T} only; other
 * thresholds are served by the residual-based estimators. Not thread-safe.
 */
public final class HotspotClassifier {
    private static final double[] EDGES = {-30, -15, -7, -3, 0, 5};
    private static final int BANDS = EDGES.length + 1;
    private static final int MIN_CELL_WINDOWS = 10;

    private final double threshold;
    // counter 2c: windows in cell c; 2c + 1: hot windows in cell c
    private final HalvingCounts counts;

    /**
     * @param threshold       the threshold {@code T} it learns for
     * @param halfLifeSeconds half-life of the counts, &gt; 0
     */
    public HotspotClassifier(double threshold, long halfLifeSeconds) {
        this.threshold = threshold;
        this.counts = new HalvingCounts(2 * BANDS * BANDS, halfLifeSeconds);
    }

    /** @return the threshold this classifier answers for */
    public double threshold() {
        return threshold;
    }

    private static int band(double relative) {
        int b = 0;
        while (b < EDGES.length && relative >= EDGES[b]) {
            b++;
        }
        return b;
    }

    private int cell(double last, double recentMax) {
        return band(last - threshold) * BANDS + band(recentMax - threshold);
    }

    /** Records a matured window opened at {@code start} with these features. */
    public void record(long start, double last, double recentMax, double actualMax) {
        int c = cell(last, recentMax);
        counts.add(start, 2 * c);
        if (actualMax > threshold) {
            counts.add(start, 2 * c + 1);
        }
    }

    /** @return the probability for these features, NaN before any window was recorded */
    public double probability(double last, double recentMax) {
        if (counts.total() == 0) {
            return Double.NaN;
        }
        int c = cell(last, recentMax);
        // counts are in units of the latest window's weight: "10 recent windows' worth"
        int enough = MIN_CELL_WINDOWS * counts.lastStep();
        if (counts.get(2 * c) >= enough) {
            return (double) counts.get(2 * c + 1) / counts.get(2 * c);
        }
        int row = c / BANDS * BANDS;
        long rowWindows = 0;
        long rowHot = 0;
        long allWindows = 0;
        long allHot = 0;
        for (int i = 0; i < BANDS * BANDS; i++) {
            allWindows += counts.get(2 * i);
            allHot += counts.get(2 * i + 1);
            if (i >= row && i < row + BANDS) {
                rowWindows += counts.get(2 * i);
                rowHot += counts.get(2 * i + 1);
            }
        }
        if (rowWindows >= enough) {
            return (double) rowHot / rowWindows;
        }
        return allWindows > 0 ? (double) allHot / allWindows : Double.NaN;
    }

    /** Writes the state. */
    public void save(ByteBuffer out) {
        counts.save(out);
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        counts.restore(in);
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return counts.checkpointBytes();
    }
}
