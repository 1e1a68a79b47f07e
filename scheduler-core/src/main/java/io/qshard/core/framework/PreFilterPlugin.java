package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;

/** Runs once per pod before any node is filtered: validate the pod, precompute into the {@link CycleState}. */
public interface PreFilterPlugin extends Plugin {
    /**
     * @return {@link Status#SUCCESS}; {@link Status#SKIP} when this plugin's {@link FilterPlugin#filter} would
     *         pass every node for this pod (it is then not called); or a status that ends the cycle for
     *         every node (reported as the whole diagnosis)
     * @param snapshot the cycle's snapshot (read-only), for plugins whose rules span nodes
     */
    Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot);

    /**
     * After {@link #preFilter} returned SUCCESS for a pod: the nodes outside which this plugin's Filter fails for it, or
     * null for no such restriction (the default). The algorithm may then walk only these nodes; so they must be a
     * superset of the nodes the Filter passes. Return null when they would be most of the cluster: walking every node
     * is then cheaper.
     */
    default CandidateNodes candidateNodes(CycleState state) {
        return null;
    }
}
