package io.qshard.shard.preemption;

import io.qshard.core.model.PodRequest;
import java.util.List;

/**
 * Carries out a preemption the scheduler decided, as kube-scheduler 1.20's {@code PrepareCandidate} and
 * {@code updatePod} do: deletes each victim (a plain DELETE with the victim's own grace period — not the Eviction
 * API, whose budget check would refuse victims the decision already chose knowing they break a budget), sets the
 * preemptor's {@code status.nominatedNodeName}, writes a {@code Preempted} Event on each victim, and clears the nominations
 * of lower-priority pods nominated to the same node. Called on the decision thread; must not block it (the writes
 * happen on the writer's own thread, in call order). Counters thread-safe.
 */
public interface PreemptionWriter extends AutoCloseable {
    /**
     * @param victims        in removal order; deletion stops at the first failure (the earlier ones stand), as in 1.20
     * @param lowerNominated pending pods nominated to {@code node} with a lower priority than {@code preemptor}
     * @param deleteFailed   run (on the writer's thread) when a victim could not be deleted: nothing more is written
     */
    void preempt(
            PodRequest preemptor,
            String node,
            List<PodRequest> victims,
            List<PodRequest> lowerNominated,
            Runnable deleteFailed);

    /** Clears {@code pod}'s {@code status.nominatedNodeName} (preemption can no longer help it anywhere). */
    void clearNomination(PodRequest pod);

    /** Victims deleted so far. */
    long deleted();

    /** Writes that failed so far (deletes, Events, status patches). */
    long failures();

    @Override
    void close();

    /** Writes nothing (tests and tools without an apiserver). */
    PreemptionWriter NONE = new PreemptionWriter() {
        @Override
        public void preempt(
                PodRequest preemptor,
                String node,
                List<PodRequest> victims,
                List<PodRequest> lowerNominated,
                Runnable deleteFailed) {}

        @Override
        public void clearNomination(PodRequest pod) {}

        @Override
        public long deleted() {
            return 0;
        }

        @Override
        public long failures() {
            return 0;
        }

        @Override
        public void close() {}
    };
}
