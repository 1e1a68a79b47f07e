package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * Told when a pod is assumed on a node (before its binding is written) and when that assumption is undone
 * (binding failed). Implementations keep their own side state consistent; {@link #unreserve} must be
 * idempotent and undo exactly what {@link #reserve} did.
 */
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, PodRequest pod, String nodeName);

    void unreserve(CycleState state, PodRequest pod, String nodeName);
}
