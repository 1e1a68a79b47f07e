package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * Told when a pod is assumed on a node (before its binding is written) and when that assumption is undone (a later
 * reserve plugin, a permit plugin or the binding failed). Both run on the decision thread; reservers run in order and
 * are unreserved in reverse order. Implementations keep their own side state consistent; {@link #unreserve} must be
 * idempotent and undo exactly what {@link #reserve} did. The runtime's cache is itself the first reserver: it assumes
 * the pod on the node in the scheduler's state, so the next decision sees the placement.
 */
public interface ReservePlugin extends Plugin {
    /** @return {@link Status#SUCCESS}, or why the pod cannot be reserved (it is then unreserved and retried) */
    Status reserve(CycleState state, PodRequest pod, String nodeName);

    /**
     * Undoes {@link #reserve}; idempotent; must not throw. As in kube-scheduler it is called on every reserver when the
     * pod's reservation is undone — also on one whose {@code reserve} did not run or refused, which then has nothing
     * to undo.
     */
    void unreserve(CycleState state, PodRequest pod, String nodeName);
}
