package io.qshard.shard.status;

import io.qshard.core.model.PodRequest;

/**
 * Tells users what happened to their pods: Events and the {@code PodScheduled} condition ({@link PodStatusReporter}
 * writes them through the API). {@link #scheduled}, {@link #unschedulable} and {@link #forget} are called from the
 * decision thread only and must not block it; the counters may be read from any thread.
 */
public interface StatusReporter extends AutoCloseable {
    /** {@code pod} was bound to {@code node}. */
    void scheduled(PodRequest pod, String node);

    /** No node fits {@code pod}; {@code message} is the aggregated diagnosis. */
    void unschedulable(PodRequest pod, String message);

    /** The pod is gone or bound: drop what is remembered about it. */
    void forget(String uid);

    /** Reports written so far. */
    long written();

    /** Reports dropped (queue full, or the write failed). */
    long dropped();

    @Override
    void close();
}
