package io.qshard.core.replicas;

import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Phases 1 and 2 of replica hosting's control law (docs/architecture.md, "Replica hosting"): shed the deficits of
 * each borrowing class lowest priority first, then place each workload's pending replicas and add replicas while the
 * tier's own algorithm places them and the class's net pool stays above the band, highest priority first. Reads only
 * its arguments; stateless and thread-safe (each call works on its own copy of the snapshot).
 */
public final class ReplicaPlanner {
    /** At most this many virtual placements per plan; the rest are {@link Recommendation.Kind#NOT_PLANNED}. */
    public static final int MAX_PLACEMENTS = 5000;

    /**
     * A plan.
     *
     * @param recommendations one per workload, in the order given
     * @param before          each borrowing class's figures before the plan
     */
    public record Plan(List<Recommendation> recommendations, Map<PoolRule, PoolBalance.Figures> before) {}

    private final NodeRoom room;
    private final HostingSettings settings;

    public ReplicaPlanner(NodeRoom room, HostingSettings settings) {
        this.room = room;
        this.settings = settings;
    }

    /**
     * @param snapshot     the cluster as viewed (bound pods, usage, predictions)
     * @param workloads    the hosted workloads, most important first ({@link HostedWorkload#importance})
     * @param otherPending the borrowing tiers' pending pods that no hosted workload owns, most important first; they
     *                     take room before hosted scale-ups of the same priority
     * @param algorithms   the scheduling algorithm of each tier, by tier name
     * @param seed         the algorithms' tie-break seed
     */
    public Plan plan(
            ClusterSnapshot snapshot,
            List<HostedWorkload> workloads,
            List<PodRequest> otherPending,
            Function<String, SchedulingAlgorithm> algorithms,
            long seed) {
        throw new UnsupportedOperationException("TODO");
    }
}
