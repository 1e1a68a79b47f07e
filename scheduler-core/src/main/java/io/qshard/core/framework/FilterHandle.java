package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/**
 * The profile's own PreFilters and Filters, for a {@link PostFilterPlugin} that asks whether the pod would fit if the
 * cluster were different (preemption's dry run removes pods from a node and asks again). Given by the framework on the
 * decision thread; not to be kept beyond the call.
 */
@FunctionalInterface
public interface FilterHandle {
    /** The profile's PreFilters run for {@code pod} on {@code snapshot} (a fresh cycle state). */
    PodFilters prepare(ClusterSnapshot snapshot, PodRequest pod);

    /** {@link #prepare}'s result: a PreFilter verdict and the Filters left, for one pod. Not thread-safe. */
    interface PodFilters {
        /**
         * Whether every Filter left reads only the node it is given (no rule spanning nodes takes part for this pod):
         * then {@link #check} is exact for a node changed after {@link #prepare}, whatever the rest of the cluster.
         */
        boolean nodeLocal();

        /**
         * SUCCESS when the pod passes the PreFilters and the Filters on {@code node} — with the room of the pods
         * nominated there counted, as in every filter run ({@link NodeState#withNominatedFor}); else the first
         * failure.
         */
        Status check(NodeState node);
    }
}
