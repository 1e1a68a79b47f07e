package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;

/**
 * Runs when no node passed the filters (kube-scheduler's PostFilter, e.g. preemption): it may find a node that would
 * fit once something changes and nominate it. Called on the decision thread with the cycle's snapshot, the
 * diagnosis of every node and the profile's own filters; the first plugin that returns SUCCESS ends the phase.
 */
public interface PostFilterPlugin extends Plugin {
    /**
     * @param filters the profile's PreFilters and Filters, to ask "would the pod fit on this node state"
     * @return what the plugin found; never null ({@link PostFilterResult#NONE} when it has nothing to offer)
     */
    PostFilterResult postFilter(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, Diagnosis diagnosis, FilterHandle filters);
}
