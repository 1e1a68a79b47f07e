package io.qshard.core.replicas;

/**
 * The governor's decision for one workload in one cycle: what Events, logs, metrics and {@code qshard replicas
 * status} print. Immutable.
 *
 * @param key        the workload
 * @param tier       its tier
 * @param spec       min and max
 * @param request    R
 * @param current    C
 * @param bound      B
 * @param pending    P
 * @param raw        the planner's recommendation
 * @param next       the replicas to write, or null when nothing is written this cycle
 * @param direction  what kind of change (HOLD and STEADY have {@code next == null})
 * @param why        one line: the figures behind the change, or why it holds
 */
public record ReplicaDecision(
        WorkloadKey key,
        String tier,
        HostingSpec spec,
        int request,
        int current,
        int bound,
        int pending,
        int raw,
        Integer next,
        Direction direction,
        String why) {

    /** Kinds of decision. */
    public enum Direction {
        UP,
        DOWN,
        /** Moved into [min, max]. */
        RANGE,
        HOLD,
        STEADY
    }

    /** @return this decision cut to {@code next} replicas (the cluster-wide rate), or held with {@code why} if null */
    public ReplicaDecision limitedTo(Integer next, String why) {
        Direction d = next == null ? Direction.HOLD : direction;
        return new ReplicaDecision(key, tier, spec, request, current, bound, pending, raw, next, d, why);
    }
}
