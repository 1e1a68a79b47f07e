package io.qshard.core.preemption;

/**
 * How many candidate nodes a preemption looks for (kube-scheduler's {@code DefaultPreemptionArgs}): the dry run stops
 * once it has {@link #candidates} of them, at least one without budget violations. Immutable.
 *
 * @param minCandidateNodesPercentage percentage of the nodes where preemption might help, [0, 100]
 * @param minCandidateNodesAbsolute   at least this many (when there are as many), ≥ 0; not both 0
 */
public record PreemptionArgs(int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
    /** kube's default percentage. */
    public static final int DEFAULT_PERCENTAGE = 10;
    /** kube's default absolute minimum. */
    public static final int DEFAULT_ABSOLUTE = 100;
    /** kube's defaults. */
    public static final PreemptionArgs DEFAULTS = new PreemptionArgs(DEFAULT_PERCENTAGE, DEFAULT_ABSOLUTE);

    public PreemptionArgs {
        if (minCandidateNodesPercentage < 0 || minCandidateNodesPercentage > 100) {
            throw new IllegalArgumentException(
                    "preemption.minCandidateNodesPercentage must be in [0, 100], was " + minCandidateNodesPercentage);
        }
        if (minCandidateNodesAbsolute < 0) {
            throw new IllegalArgumentException(
                    "preemption.minCandidateNodesAbsolute must be ≥ 0, was " + minCandidateNodesAbsolute);
        }
        if (minCandidateNodesPercentage == 0 && minCandidateNodesAbsolute == 0) {
            throw new IllegalArgumentException(
                    "preemption.minCandidateNodesPercentage and preemption.minCandidateNodesAbsolute must not both be 0");
        }
    }

    /**
     * 1.20's {@code calculateNumCandidates} for {@code nodes} nodes where preemption might help: the percentage
     * (integer division), raised to the absolute minimum, capped at {@code nodes}.
     */
    public int candidates(int nodes) {
        int n = nodes * minCandidateNodesPercentage / 100;
        return Math.min(Math.max(n, minCandidateNodesAbsolute), nodes);
    }
}
