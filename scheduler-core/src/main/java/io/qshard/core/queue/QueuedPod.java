package io.qshard.core.queue;

import io.qshard.core.model.PodRequest;
import java.time.Instant;

/**
 * A pending pod as the queue tracks it. Immutable; the queue replaces entries as they change.
 *
 * @param pod          the pod (latest version seen)
 * @param attempts     failed scheduling or binding attempts so far
 * @param firstSeen    when the queue first saw the pod (end-to-end latency starts here)
 * @param backoffUntil not to be retried before this instant
 * @param cycle        the scheduling cycle in which it was last popped (0 before)
 */
public record QueuedPod(PodRequest pod, int attempts, Instant firstSeen, Instant backoffUntil, long cycle) {

    public String uid() {
        return pod.uid();
    }

    QueuedPod withPod(PodRequest p) {
        return new QueuedPod(p, attempts, firstSeen, backoffUntil, cycle);
    }

    QueuedPod failed(Instant until) {
        return new QueuedPod(pod, attempts + 1, firstSeen, until, cycle);
    }

    QueuedPod popped(long c) {
        return new QueuedPod(pod, attempts, firstSeen, backoffUntil, c);
    }
}
