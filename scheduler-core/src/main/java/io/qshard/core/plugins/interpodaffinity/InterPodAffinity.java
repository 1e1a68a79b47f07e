package io.qshard.core.plugins.interpodaffinity;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologyArgs;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.snapshot.Topology;
import java.util.List;
import java.util.Map;

/**
 * Inter-pod affinity and anti-affinity with kube-scheduler 1.20's semantics ({@code pkg/scheduler/framework/plugins/
 * interpodaffinity/filtering.go}, {@code scoring.go}), over every bound and assumed pod of the cluster on a known
 * node (all shards'; terminating pods count, as in 1.20), read from {@link Topology}'s pod groups.
 *
 * <p>Filter, in 1.20's order: the pod's required affinity (every term's key on the node, a pod matching all terms in
 * each term's domain, or — when no pod anywhere does and the pod matches its own terms — any node with the keys:
 * unresolvable), its required anti-affinity (unschedulable), then existing pods' required anti-affinity terms that
 * match it (symmetry; unschedulable). Each failure carries 1.20's two reasons. Score: signed domain weights from
 * preferred terms both ways and from existing pods' required affinity × {@code hardPodAffinityWeight}, normalised
 * by 1.20's min/max rule. PreFilter and PreScore SKIP when no rule concerns the pod (cheap when no pod of the cluster
 * has terms). Thread-safe: immutable; per-cycle data lives in the {@link CycleState}.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "InterPodAffinity";
    /** kube-scheduler's default {@code hardPodAffinityWeight}. */
    public static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = TopologyArgs.DEFAULT_HARD_POD_AFFINITY_WEIGHT;

    /** 1.20 {@code ErrReasonAffinityNotMatch}, the first reason of every failure. */
    static final String REASON_AFFINITY_NOT_MATCH = "node(s) didn't match pod affinity/anti-affinity";
    /** 1.20 {@code ErrReasonAffinityRulesNotMatch}. */
    static final String REASON_AFFINITY_RULES = "node(s) didn't match pod affinity rules";
    /** 1.20 {@code ErrReasonAntiAffinityRulesNotMatch}. */
    static final String REASON_ANTI_AFFINITY_RULES = "node(s) didn't match pod anti-affinity rules";
    /** 1.20 {@code ErrReasonExistingAntiAffinityRulesNotMatch}. */
    static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

    static final Status AFFINITY_FAILED =
            new Status(Status.Code.UNRESOLVABLE, List.of(REASON_AFFINITY_NOT_MATCH, REASON_AFFINITY_RULES), NAME);
    static final Status ANTI_AFFINITY_FAILED =
            new Status(Status.Code.UNSCHEDULABLE, List.of(REASON_AFFINITY_NOT_MATCH, REASON_ANTI_AFFINITY_RULES), NAME);
    static final Status EXISTING_ANTI_AFFINITY_FAILED = new Status(
            Status.Code.UNSCHEDULABLE, List.of(REASON_AFFINITY_NOT_MATCH, REASON_EXISTING_ANTI_AFFINITY), NAME);
    private static final Status NO_STATE = Status.error(NAME, "Filter/Score without PreFilter/PreScore state");

    private static final CycleState.Key<FilterState> FILTER_STATE = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<ScoreState> SCORE_STATE = new CycleState.Key<>("PreScore" + NAME);

    private final int hardPodAffinityWeight;

    /**
     * @param hardPodAffinityWeight 0..100: the score weight of an existing pod's required affinity term that selects
     *                              the incoming pod (0 turns that off); kube-scheduler's default is
     *                              {@link #DEFAULT_HARD_POD_AFFINITY_WEIGHT}
     * @throws IllegalArgumentException when out of range
     */
    public InterPodAffinity(int hardPodAffinityWeight) {
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("hardPodAffinityWeight must be in 0..100, was " + hardPodAffinityWeight);
        }
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        PodAffinity own = pod.podAffinity();
        Topology topology = snapshot.topology();
        if (own.required().isEmpty() && own.requiredAnti().isEmpty() && !topology.hasAffinityPods()) {
            return Status.SKIP;
        }
        FilterState s = FilterState.compute(pod, topology);
        if (s.passesEverywhere()) {
            return Status.SKIP;
        }
        state.write(FILTER_STATE, s);
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        FilterState s = state.read(FILTER_STATE);
        if (s == null) {
            return NO_STATE;
        }
        Map<String, String> labels = node.node().labels();
        if (!s.satisfiesAffinity(labels)) {
            return AFFINITY_FAILED;
        }
        if (!s.satisfiesAntiAffinity(labels)) {
            return ANTI_AFFINITY_FAILED;
        }
        if (!s.satisfiesExistingAntiAffinity(labels)) {
            return EXISTING_ANTI_AFFINITY_FAILED;
        }
        return Status.SUCCESS;
    }

    @Override
    public Status preScore(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count) {
        PodAffinity own = pod.podAffinity();
        Topology topology = snapshot.topology();
        if (own.preferred().isEmpty() && own.preferredAnti().isEmpty() && !topology.hasAffinityPods()) {
            return Status.SKIP;
        }
        ScoreState s = ScoreState.compute(pod, topology, hardPodAffinityWeight);
        if (s == null) {
            return Status.SKIP; // every node would score 0
        }
        state.write(SCORE_STATE, s);
        return Status.SUCCESS;
    }

    /** Raw score: may be negative; {@link #normalize} maps it into [0, 100]. */
    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        ScoreState s = state.read(SCORE_STATE);
        if (s == null) {
            throw new IllegalStateException(NO_STATE.message());
        }
        return s.score(node.node().labels());
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        for (int k = 0; k < count; k++) {
            out[k] = score(state, pod, nodes[k]);
        }
    }

    /**
     * 1.20 {@code NormalizeScore}: {@code max} and {@code min} start at 0 (so all-positive scores are scaled from 0,
     * all-negative ones up to 0), then {@code int64(100 · (s − min) / (max − min))} in float64, truncated; all 0 when
     * {@code max == min}.
     */
    @Override
    public void normalize(CycleState state, PodRequest pod, long[] scores, int count) {
        long max = 0;
        long min = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, scores[i]);
            min = Math.min(min, scores[i]);
        }
        long diff = max - min;
        for (int i = 0; i < count; i++) {
            double f = diff > 0 ? (double) MAX_SCORE * ((double) (scores[i] - min) / (double) diff) : 0;
            scores[i] = (long) f;
        }
    }
}
