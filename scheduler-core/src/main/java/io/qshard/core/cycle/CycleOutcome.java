package io.qshard.core.cycle;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import java.util.Objects;

/**
 * How a pod's scheduling cycle ended ({@link FrameworkCycle#schedule}). Immutable, except the cycle's state. Each carries
 * {@code decisionNanos}: the time the decision took (PreFilter … pick), without Reserve and Permit.
 */
public sealed interface CycleOutcome {
    /** The time the decision took (PreFilter … pick, or … PostFilter), nanoseconds. */
    long decisionNanos();

    /**
     * No node passed the filters.
     *
     * @param diagnosis  why, per node and aggregated
     * @param postFilter what the PostFilter plugins found (a nominated node), or {@link PostFilterResult#NONE}
     * @param evaluated  nodes run through the filters
     */
    record Unschedulable(Diagnosis diagnosis, PostFilterResult postFilter, int evaluated, long decisionNanos)
            implements CycleOutcome {
        public Unschedulable {
            Objects.requireNonNull(diagnosis, "diagnosis");
            Objects.requireNonNull(postFilter, "postFilter");
        }
    }

    /**
     * A node was chosen, but a Reserve or Permit plugin refused it; every reserver was unreserved.
     *
     * @param node   the node chosen
     * @param status the refusal (its plugin and reasons)
     */
    record Rejected(String node, Status status, long decisionNanos) implements CycleOutcome {}

    /**
     * The pod is reserved on {@code node} (the runtime's cache assumed it): bind it with {@link FrameworkCycle#bind},
     * and after a failed binding undo it with {@link FrameworkCycle#unreserve}.
     *
     * @param pod       the pod
     * @param node      the node
     * @param score     the node's weighted total score (0 when it was the only feasible node)
     * @param evaluated nodes run through the filters
     * @param feasible  nodes that passed them
     * @param state     the cycle's state, handed on to the binding cycle
     */
    record Reserved(
            PodRequest pod, String node, long score, int evaluated, int feasible, CycleState state, long decisionNanos)
            implements CycleOutcome {}
}
