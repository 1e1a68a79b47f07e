package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * Prepares a reserved pod's node before the binding is written (kube-scheduler's PreBind, e.g. binding its volumes).
 * Runs in the binding cycle on the cycle's pre-bind executor, off the decision thread, so it may block on API calls;
 * it must be thread-safe. A failure fails the binding: the pod is unreserved and retried with backoff.
 */
public interface PreBindPlugin extends Plugin {
    /** @return {@link Status#SUCCESS}, or why the pod cannot be bound */
    Status preBind(CycleState state, PodRequest pod, String nodeName);

    /**
     * Whether {@link #preBind} has anything to do for this reserved pod (decision thread, cheap; default true). When no
     * PreBind plugin has, the binding goes straight to Bind without the hop to the pre-bind executor — a pod without
     * volumes does not pay for VolumeBinding's PreBind. An exception counts as true.
     */
    default boolean preBindNeeded(CycleState state, PodRequest pod) {
        return true;
    }
}
