package io.qshard.shard.explain;

import io.qshard.core.algorithm.Explanation;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.PostFilterPlugin;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.PreEnqueuePlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Tier;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Recomputes a tier's decision for one pod on a snapshot, as its scheduler would make it now: the tier's profile
 * over every node of the shard that owns the pod (all nodes when unsharded), reading usage, pools and heat from the
 * snapshot as every plugin does. A bound pod is first taken off its node, so the question is "where would it go now".
 * Pure given its inputs; thread-safe.
 */
public final class PodExplainer {
    private final QshardConfig config;
    private final PluginRegistry registry;
    private final Clock clock;

    public PodExplainer(QshardConfig config, PluginRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * What {@link #explain} found; {@code snapshot} is the one explained on (with the pod taken off its node);
     * {@code heldBack} is the first PreEnqueue refusal of a pending pod (e.g. scheduling gates: the scheduler does not
     * queue it, so the decision below is the one it would make once released), or null; {@code preemption} is what
     * the tier's PostFilter (preemption) would do for a pod no node fits — the node it would nominate and the pods it
     * would remove there, or why not — or null when a node fits or the tier has no PostFilter.
     */
    public record Result(
            Tier tier,
            PodRequest pod,
            Explanation explanation,
            ClusterSnapshot snapshot,
            NodeRoom room,
            Status heldBack,
            PostFilterResult preemption) {}

    /**
     * @param tier      the pod's tier
     * @param pod       the pod (its {@code nodeName} set when bound)
     * @param snapshot  the cluster as the view has it
     * @param shardNodes the nodes of the owning shard, or empty for all
     */
    public Result explain(Tier tier, PodRequest pod, ClusterSnapshot snapshot, Optional<Set<String>> shardNodes) {
        ClusterSnapshot s = snapshot.withoutPod(pod); // as if pending: off its node, out of the topology counts
        if (shardNodes.isPresent()) {
            for (int i = s.size() - 1; i >= 0; i--) {
                String name = s.node(i).name();
                if (!shardNodes.get().contains(name)) {
                    s = s.without(name);
                }
            }
        }
        Profile profile = Profile.build(tier, registry, new PluginContext(config.pools(), clock));
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(profile, config.nodesToScore());
        Explanation e = algorithm.explain(s, pod);
        PostFilterResult preemption = null;
        if (!e.feasible()) {
            for (PostFilterPlugin p : profile.postFilters()) {
                preemption = p.postFilter(new CycleState(), pod, s, e.diagnosis(), algorithm::prepare);
                if (preemption.status().isSuccess()) {
                    break;
                }
            }
        }
        return new Result(tier, pod, e, s, new NodeRoom(config.pools()), heldBack(profile, pod), preemption);
    }

    private static Status heldBack(Profile profile, PodRequest pod) {
        if (pod.nodeName() != null) {
            return null;
        }
        for (PreEnqueuePlugin p : profile.preEnqueues()) {
            Status st = p.preEnqueue(pod);
            if (!st.isSuccess()) {
                return st;
            }
        }
        return null;
    }
}
