package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * Four one-feature hotspot estimators relative to the configured threshold {@code T}: "the last horizon's maximum is
 * above {@code T}", "… above {@code T − 5}", "the last sample is above {@code T}", "… above {@code T − 5}". Each
 * keeps decaying counts of windows and hot windows for when it fires and when it does not (16 {@link HalvingCounts}), so its
 * probability is its own observed precision when it fires and its miss rate when it does not.
 *
 * <p>With one binary feature they learn from a handful of hotspots — what a bursty machine with rare peaks needs,
 * where the 49-cell {@link HotspotClassifier} is still empty. Not thread-safe.
 */
public final class HotspotRules {
    /** Number of rules. */
    public static final int RULES = 4;

    private final double threshold;
    // per rule r: 4r fires windows, 4r+1 fires hot, 4r+2 quiet windows, 4r+3 quiet hot
    private final HalvingCounts counts;

    /**
     * @param threshold       the threshold {@code T} the rules are relative to
     * @param halfLifeSeconds half-life of the counts, &gt; 0
     */
    public HotspotRules(double threshold, long halfLifeSeconds) {
        this.threshold = threshold;
        this.counts = new HalvingCounts(4 * RULES, halfLifeSeconds);
    }

    /** @return whether rule {@code r} fires for these features */
    public boolean fires(int r, double last, double recentMax) {
        return switch (r) {
            case 0 -> recentMax > threshold;
            case 1 -> recentMax > threshold - 5;
            case 2 -> last > threshold;
            default -> last > threshold - 5;
        };
    }

    /** Records a matured window. */
    public void record(long start, double last, double recentMax, double actualMax) {
        boolean hot = actualMax > threshold;
        for (int r = 0; r < RULES; r++) {
            int at = 4 * r + (fires(r, last, recentMax) ? 0 : 2);
            counts.add(start, at);
            if (hot) {
                counts.add(start, at + 1);
            }
        }
    }

    /**
     * @return rule {@code r}'s probability of a hotspot for these features: its precision when it fires, its miss
     *         rate when not; when it has never been in that state, 1 if it fires and 0 if not
     */
    public double probability(int r, double last, double recentMax) {
        boolean fires = fires(r, last, recentMax);
        int at = 4 * r + (fires ? 0 : 2);
        return counts.get(at) > 0 ? (double) counts.get(at + 1) / counts.get(at) : fires ? 1 : 0;
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
