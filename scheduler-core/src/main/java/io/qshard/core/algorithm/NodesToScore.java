package io.qshard.core.algorithm;

/**
 * How many feasible nodes to find before scoring stops looking (kube-scheduler's
 * {@code percentageOfNodesToScore}). Immutable.
 *
 * <p>Adaptive (percentage 0): {@code max(5, 50 − nodes/125)} percent, so 1,000 nodes → 42% (420),
 * 5,000 → 10% (500), 10,000 → 5% (500). Never fewer than {@link #MIN_FEASIBLE} nodes (or all, if fewer).
 *
 * @param percentage 1..100, or {@link #ADAPTIVE}
 */
public record NodesToScore(int percentage) {
    /** Percentage value meaning "adaptive". */
    public static final int ADAPTIVE = 0;
    /** Lower bound of feasible nodes to find. */
    public static final int MIN_FEASIBLE = 100;
    /** Lower bound of the adaptive percentage. */
    public static final int MIN_ADAPTIVE_PERCENTAGE = 5;

    public NodesToScore {
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException(
                    "percentageOfNodesToScore must be 0 (adaptive) or 1..100, was " + percentage);
        }
    }

    public static NodesToScore adaptive() {
        return new NodesToScore(ADAPTIVE);
    }

    /** Feasible nodes to find among {@code nodes}. */
    public int feasibleToFind(int nodes) {
        if (nodes <= MIN_FEASIBLE || percentage == 100) {
            return nodes;
        }
        int pct = percentage == ADAPTIVE ? Math.max(MIN_ADAPTIVE_PERCENTAGE, 50 - nodes / 125) : percentage;
        return Math.max(MIN_FEASIBLE, (int) ((long) nodes * pct / 100));
    }
}
