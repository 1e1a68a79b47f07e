package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * The last word before a reserved pod is bound (kube-scheduler's Permit). Runs on the decision thread after every
 * {@link ReservePlugin}; a rejection unreserves the pod and requeues it with backoff. Waiting (kube-scheduler's
 * "Wait" for gang scheduling) is not offered: a plugin that would wait rejects, and the pod is tried again.
 */
public interface PermitPlugin extends Plugin {
    /** @return {@link Status#SUCCESS}, or why the pod must not be bound to {@code nodeName} now */
    Status permit(CycleState state, PodRequest pod, String nodeName);
}
