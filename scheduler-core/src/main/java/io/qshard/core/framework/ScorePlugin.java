package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Ranks feasible nodes. {@link #score} returns a raw score per node; {@link #normalize} may then rescale
 * the array in place; the final per-plugin scores must lie in [0, {@link #MAX_SCORE}]. The algorithm
 * multiplies them by the tier's weight for the plugin and sums.
 */
public interface ScorePlugin extends Plugin {
    /** Highest normalised score of one plugin. */
    long MAX_SCORE = 100;

    /** Raw score of {@code node} for {@code pod}. */
    long score(CycleState state, PodRequest pod, NodeState node);

    /**
     * Raw scores of {@code nodes[0..count)} into {@code out}. The default calls {@link #score} per node.
     * Shipped plugins override it with the same one-line loop: inside a plugin's own method the call has one
     * receiver type and is inlined, whereas the algorithm's shared call site sees every plugin (megamorphic).
     * Plugins only need that when profiling says so.
     */
    default void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = score(state, pod, nodes[k]);
        }
    }

    /**
     * Rescales {@code scores[0..count)} in place into [0, MAX_SCORE]. The default leaves them as they are,
     * for plugins whose raw score is already in range.
     */
    default void normalize(CycleState state, PodRequest pod, long[] scores, int count) {}

    /**
     * Scales non-negative raw scores to [0, MAX_SCORE] proportionally to the maximum; with {@code reverse},
     * a higher raw value gives a lower score (e.g. more untolerated taints). When every raw score is 0 the
     * result is all 0, or all MAX_SCORE when reversed (kube-scheduler's DefaultNormalizeScore).
     */
    static void normalizeByMax(long[] scores, int count, boolean reverse) {
        long max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, scores[i]);
        }
        if (max == 0) {
            if (reverse) {
                for (int i = 0; i < count; i++) {
                    scores[i] = MAX_SCORE;
                }
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            long s = MAX_SCORE * scores[i] / max;
            scores[i] = reverse ? MAX_SCORE - s : s;
        }
    }
}
