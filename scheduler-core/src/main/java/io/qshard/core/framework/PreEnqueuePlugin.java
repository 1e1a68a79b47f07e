package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;

/**
 * Decides whether a pending pod may enter the scheduling queue at all (kube-scheduler's PreEnqueue, e.g. scheduling
 * gates). A pod refused here is held aside, costs no scheduling attempt, and is asked again each time it changes;
 * it enters the queue the moment every PreEnqueue plugin passes it. Called on informer or decision threads: keep it
 * pure and cheap.
 */
public interface PreEnqueuePlugin extends Plugin {
    /**
     * @return {@link Status#SUCCESS}, or why the pod must wait; held pods are counted as the queue's {@code gated} set
     *         ({@code qshard_queue_pods{queue="gated"}})
     */
    Status preEnqueue(PodRequest pod);
}
