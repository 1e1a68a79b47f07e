package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * Told that a pod's binding was written (kube-scheduler's PostBind): informational, for clean-up. Runs on the thread
 * that completed the binding; must be thread-safe, cheap and must not throw.
 */
public interface PostBindPlugin extends Plugin {
    void postBind(CycleState state, PodRequest pod, String nodeName);
}
