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
}
