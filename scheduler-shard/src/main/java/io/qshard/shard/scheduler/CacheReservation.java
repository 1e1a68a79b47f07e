package io.qshard.shard.scheduler;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterState;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The runtime's own Reserve step, run before the profile's: assumes the pod on its node in the scheduler's state, so
 * the next decision already sees the placement, and tells the other tiers of the process (the placement ledger).
 * Unreserve takes the assumption back — unless the informer confirmed the binding meanwhile (then the API is the
 * truth and nothing is undone). Decision thread only.
 */
final class CacheReservation implements ReservePlugin {
    static final String NAME = "SchedulerCache";

    private final ClusterState cluster;
    private final Map<String, String> assumed;
    private final Consumer<PodRequest> peersAssume;
    private final Consumer<String> peersForget;

    /**
     * @param cluster     the scheduler's state ({@link DecisionState#cluster()})
     * @param assumed     its uid → node of unconfirmed placements ({@link DecisionState#assumed()})
     * @param peersAssume tells the other tiers of this process about a placement (the pod, bound to its node)
     * @param peersForget tells them it was taken back
     */
    CacheReservation(
            ClusterState cluster,
            Map<String, String> assumed,
            Consumer<PodRequest> peersAssume,
            Consumer<String> peersForget) {
        this.cluster = cluster;
        this.assumed = assumed;
        this.peersAssume = peersAssume;
        this.peersForget = peersForget;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status reserve(CycleState state, PodRequest pod, String nodeName) {
        cluster.assume(pod, nodeName);
        assumed.put(pod.uid(), nodeName);
        peersAssume.accept(pod.boundTo(nodeName));
        return Status.SUCCESS;
    }

    @Override
    public void unreserve(CycleState state, PodRequest pod, String nodeName) {
        if (assumed.remove(pod.uid()) != null) {
            cluster.removePod(pod.uid());
            peersForget.accept(pod.uid());
        }
    }
}
