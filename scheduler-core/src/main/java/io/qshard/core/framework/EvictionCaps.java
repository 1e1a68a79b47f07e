package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import java.time.Instant;
import java.util.List;

/**
 * Which preemptions may go ahead now, and the record of those that did: preemption's brake on taking back room
 * across tiers ({@code io.qshard.core.preemption.CrossTierCaps}, one per scheduler instance). Implementations are
 * thread-safe.
 */
public interface EvictionCaps {
    /** Whether removing {@code victims} from {@code node} for {@code preemptor} stays within the caps at {@code now}. */
    boolean allows(PodRequest preemptor, String node, List<PodRequest> victims, Instant now);

    /** Records that {@code victims} are being removed from {@code node} for {@code preemptor} at {@code now}. */
    void record(PodRequest preemptor, String node, List<PodRequest> victims, Instant now);

    /** No caps (kube-scheduler's behaviour). */
    EvictionCaps NONE = new EvictionCaps() {
        @Override
        public boolean allows(PodRequest preemptor, String node, List<PodRequest> victims, Instant now) {
            return true;
        }

        @Override
        public void record(PodRequest preemptor, String node, List<PodRequest> victims, Instant now) {}
    };
}
