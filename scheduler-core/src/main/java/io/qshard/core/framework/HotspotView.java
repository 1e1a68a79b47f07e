package io.qshard.core.framework;

/**
 * Per-node hotspot predictions as the scheduling plugins see them: the probability that the node's usage crosses
 * the operators' hot threshold within the scheduling horizon (from {@code predictors/}, fed by the usage view).
 *
 * <p>Implementations are read from the decision thread while the usage view updates them: they must be
 * thread-safe for that (e.g. publish an immutable map). A node without a prediction reads 0 — unknown is not hot;
 * the pools' staleness rule already keeps such nodes conservative.
 */
@FunctionalInterface
public interface HotspotView {
    /** No predictions: every node reads 0. */
    HotspotView NONE = node -> 0;

    /**
     * @param nodeName the node
     * @return the probability in [0, 1]; 0 when unknown
     */
    double hotspotProbability(String nodeName);

    /**
     * @param nodeName the node
     * @return whether the node is hot (or predicted hot) by the migration rule ({@link io.qshard.core.usage.HotNodes}):
     *         the loop is taking load off it, so lower tiers must not add any; false when unknown
     */
    default boolean hot(String nodeName) {
        return false;
    }
}
