package io.qshard.core.usage;

import java.util.HashMap;
import java.util.Map;

/**
 * The hot-node rule ({@link Rule}, configured as {@code migration:} in qshard.yaml), applied report by report to each node's cpu usage (fraction of real
 * allocatable). The schedulers and the migration loop each run it on the same reports, so they agree on which nodes
 * are hot without a word between them: the loop empties such nodes, the schedulers send lower tiers elsewhere.
 * <pre>
 * NORMAL    → HOT        usage above hotThreshold for hotReports consecutive reports
 * NORMAL    → PREDICTED  (predictive) the predicted peak over the horizon is above hotThreshold
 * PREDICTED → HOT        as from NORMAL
 * HOT, PREDICTED → NORMAL  usage (and, for PREDICTED, the predicted peak) below coolThreshold
 * </pre>
 * The band between coolThreshold and hotThreshold is the hysteresis: a node hovering at the threshold does not flap.
 * Not thread-safe: owned by the usage view's thread.
 */
public final class HotNodes {
    /** A node's state under the rule. */
    public enum State {
        NORMAL,
        /** Predicted to cross the threshold within the horizon. */
        PREDICTED,
        /** Above the threshold for the configured number of reports. */
        HOT
    }

    /**
     * The rule's parameters.
     *
     * @param hotThreshold  cpu usage (fraction of real allocatable) above which a node counts toward hot, (0, 1]
     * @param hotReports    consecutive reports above it that make a node hot, ≥ 1
     * @param predictive    whether a predicted peak above the threshold makes a node PREDICTED
     * @param coolThreshold usage below which a hot node is normal again, (0, hotThreshold]
     */
    public record Rule(double hotThreshold, int hotReports, boolean predictive, double coolThreshold) {
        /** @throws IllegalArgumentException naming the first parameter out of its range */
        public Rule {
            if (!(hotThreshold > 0 && hotThreshold <= 1)) {
                throw new IllegalArgumentException("hotThreshold must be in (0, 1], was " + hotThreshold);
            }
            if (hotReports < 1) {
                throw new IllegalArgumentException("hotReports must be >= 1, was " + hotReports);
            }
            if (!(coolThreshold > 0 && coolThreshold <= hotThreshold)) {
                throw new IllegalArgumentException(
                        "coolThreshold must be in (0, hotThreshold = " + hotThreshold + "], was " + coolThreshold);
            }
        }
    }

    private record Entry(State state, int above) {}

    private final Rule config;
    private final Map<String, Entry> nodes = new HashMap<>();

    public HotNodes(Rule rule) {
        this.config = rule;
    }

    /**
     * A new report.
     *
     * @param node          the node
     * @param usage         its cpu usage, fraction of real allocatable; any double: NaN counts as neither above the hot
     *                      threshold nor below the cool one (the state holds, the run of reports above restarts)
     * @param predictedPeak its predicted peak over the horizon, fraction; NaN when unknown
     * @return its state now
     */
    public State observe(String node, double usage, double predictedPeak) {
        Entry e = nodes.getOrDefault(node, new Entry(State.NORMAL, 0));
        int above = usage > config.hotThreshold() ? e.above() + 1 : 0;
        boolean predicted = config.predictive() && predictedPeak > config.hotThreshold();
        State next = switch (e.state()) {
            case HOT -> usage < config.coolThreshold() ? State.NORMAL : State.HOT;
            case PREDICTED ->
                above >= config.hotReports()
                        ? State.HOT
                        : usage < config.coolThreshold()
                                        && !(config.predictive() && predictedPeak >= config.coolThreshold())
                                ? State.NORMAL
                                : State.PREDICTED;
            case NORMAL -> above >= config.hotReports() ? State.HOT : predicted ? State.PREDICTED : State.NORMAL;
        };
        nodes.put(node, new Entry(next, above));
        return next;
    }

    /** @return the node's state (NORMAL when unknown) */
    public State state(String node) {
        Entry e = nodes.get(node);
        return e == null ? State.NORMAL : e.state();
    }

    /** The node is gone, or its report went stale: it is not hot by this rule any more. */
    public void forget(String node) {
        nodes.remove(node);
    }
}
