package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;

/**
 * Decides whether a pod may go on a node. Called for many nodes per cycle: keep it allocation-free on
 * success (return {@link Status#SUCCESS}) and cheap.
 */
public interface FilterPlugin extends Plugin {
    /** @return {@link Status#SUCCESS} or why not (unschedulable / unresolvable), never null */
    Status filter(CycleState state, PodRequest pod, NodeState node);
}
