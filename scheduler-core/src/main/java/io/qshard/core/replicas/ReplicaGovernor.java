package io.qshard.core.replicas;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Phase 3 of the control law: turns the planner's recommendations into writes with hysteresis in time (a scale-up
 * takes the minimum recommendation over the up window, which must be spanned), a max step, a min interval per
 * workload, the manual hold, and the cluster-wide rate (docs/architecture.md, "Replica hosting"). Keeps each
 * workload's recent recommendations. Mutable, confined to one thread (the controller's loop).
 */
public final class ReplicaGovernor {
    private final HostingSettings settings;

    public ReplicaGovernor(HostingSettings settings) {
        this.settings = settings;
    }

    /**
     * Decides one workload. Records {@code rec.raw()} in its window whatever the decision.
     *
     * @param w   the workload (its bookkeeping gives the last change and the manual hold)
     * @param rec the planner's recommendation for it
     * @param now the cycle's time
     */
    public ReplicaDecision decide(HostedWorkload w, Recommendation rec, Instant now) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Applies the cluster-wide rate to one cycle's decisions: range corrections, then downs least important first,
     * then ups most important first; the last one may be cut to what is left, the rest hold. Records what it lets
     * through in the ledger.
     *
     * @param decisions the cycle's decisions, most important first
     * @return the same decisions, in the same order, limited
     */
    public List<ReplicaDecision> limit(List<ReplicaDecision> decisions, Instant now) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Forgets the windows of workloads not in {@code live}. */
    public void retain(Collection<WorkloadKey> live) {
        throw new UnsupportedOperationException("TODO");
    }

    /** @return how many changes the rate has cut or deferred so far */
    public long rateLimited() {
        throw new UnsupportedOperationException("TODO");
    }
}
