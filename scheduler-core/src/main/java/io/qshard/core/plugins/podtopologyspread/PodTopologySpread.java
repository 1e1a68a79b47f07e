package io.qshard.core.plugins.podtopologyspread;

import io.qshard.core.framework.CandidateNodes;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologyArgs;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.snapshot.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * kube-scheduler's PodTopologySpread (v1.20 {@code pkg/scheduler/framework/plugins/podtopologyspread}; minDomains and
 * node inclusion policies as current kube-scheduler), over the whole cluster's nodes and pods ({@link Topology}).
 *
 * <p>Constraints: the pod's own, or — only for a pod without any — the default constraints with the selector of the
 * Services and controller selecting the pod (none when there is none). Filter uses the DoNotSchedule ones: a node
 * lacking a key is unresolvable; a node where {@code matchNum + selfMatch − globalMin > maxSkew} is unschedulable.
 * Score uses the ScheduleAnyway ones: {@code Σ count·ln(domains + 2) + (maxSkew − 1)}, truncated, then reversed
 * against the best and worst node ({@code 100·(max + min − s) / max}); nodes lacking a key score 0. Pods are counted
 * in the pod's namespace, without terminating pods and pods on nodes the cluster does not know.
 *
 * <p>PreFilter and PreScore return {@link Status#SKIP} for a pod no constraint concerns, cheaply, so that decisions
 * for runs of such pods can be reused. Immutable and thread-safe.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
    public static final String NAME = "PodTopologySpread";
    /** Filter reason for a node whose domain is too full (1.20 {@code ErrReasonConstraintsNotMatch}). */
    public static final String REASON_SKEW = "node(s) didn't match pod topology spread constraints";
    /** Filter reason for a node without a constraint's key (1.20 {@code ErrReasonNodeLabelNotMatch}). */
    public static final String REASON_MISSING_LABEL = REASON_SKEW + " (missing required label)";

    /**
     * kube-scheduler's system default constraints (1.20 {@code systemDefaultConstraints}): hostname maxSkew 3 and zone
     * maxSkew 5, both ScheduleAnyway; selectors set per pod. The same list as {@link TopologyArgs#SYSTEM_DEFAULT_CONSTRAINTS}.
     */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULTS = TopologyArgs.SYSTEM_DEFAULT_CONSTRAINTS;

    private static final Status SKEWED = Status.unschedulable(NAME, REASON_SKEW);
    private static final Status MISSING_LABEL = Status.unresolvable(NAME, REASON_MISSING_LABEL);
    private static final CycleState.Key<PreFilterState> FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<PreScoreState> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    private final List<TopologySpreadConstraint> hardDefaults;
    private final List<TopologySpreadConstraint> softDefaults;

    /**
     * @param defaultConstraints constraints for pods that have none of their own (kube-scheduler's
     *                           {@code defaultConstraints}; their selectors are ignored); {@link #SYSTEM_DEFAULTS} for
     *                           kube-scheduler's default, empty for no default spreading
     */
    public PodTopologySpread(List<TopologySpreadConstraint> defaultConstraints) {
        Objects.requireNonNull(defaultConstraints, "defaultConstraints");
        this.hardDefaults = defaultConstraints.stream()
                .filter(TopologySpreadConstraint::doNotSchedule)
                .toList();
        this.softDefaults =
                defaultConstraints.stream().filter(c -> !c.doNotSchedule()).toList();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        List<TopologySpreadConstraint> hard = constraints(pod, snapshot.topology(), true);
        if (hard.isEmpty()) {
            return Status.SKIP;
        }
        state.write(FILTER_KEY, PreFilterState.compute(pod, hard, snapshot.topology()));
        return Status.SUCCESS;
    }

    /** The nodes of the domains where the pod keeps within maxSkew, when they are at most half of the cluster. */
    @Override
    public CandidateNodes candidateNodes(CycleState state) {
        PreFilterState s = state.read(FILTER_KEY);
        return s == null ? null : s.candidates();
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        PreFilterState s = state.read(FILTER_KEY);
        if (s == null) {
            return Status.error(NAME, "no PreFilter state: PreFilter did not run for pod " + pod.key());
        }
        return s.filter(node.node().labels(), MISSING_LABEL, SKEWED);
    }

    @Override
    public Status preScore(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int count) {
        List<TopologySpreadConstraint> soft = constraints(pod, snapshot.topology(), false);
        if (soft.isEmpty()) {
            return Status.SKIP;
        }
        state.write(SCORE_KEY, PreScoreState.compute(pod, soft, snapshot.topology(), feasible, count));
        return Status.SUCCESS;
    }

    /** The raw score (see the class comment), or −1 for a node lacking a constraint key. */
    @Override
    public long score(CycleState state, PodRequest pod, NodeState node) {
        return scoreState(state, pod).score(node);
    }

    @Override
    public void scoreAll(CycleState state, PodRequest pod, NodeState[] nodes, int count, long[] out) {
        PreScoreState s = scoreState(state, pod);
        for (int k = 0; k < count; k++) {
            out[k] = s.score(nodes[k]);
        }
    }

    private static PreScoreState scoreState(CycleState state, PodRequest pod) {
        PreScoreState s = state.read(SCORE_KEY);
        if (s == null) {
            throw new IllegalStateException("no PreScore state: PreScore did not run for pod " + pod.key());
        }
        return s;
    }

    /**
     * 1.20's NormalizeScore: with min and max over the nodes not ignored, {@code 100·(max + min − s) / max}
     * (integer division), 100 for all when max is 0; ignored nodes 0.
     */
    @Override
    public void normalize(CycleState state, PodRequest pod, long[] scores, int count) {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int k = 0; k < count; k++) {
            if (scores[k] != PreScoreState.IGNORED) {
                min = Math.min(min, scores[k]);
                max = Math.max(max, scores[k]);
            }
        }
        for (int k = 0; k < count; k++) {
            if (scores[k] == PreScoreState.IGNORED) {
                scores[k] = 0;
            } else {
                scores[k] = max == 0 ? MAX_SCORE : MAX_SCORE * (max + min - scores[k]) / max;
            }
        }
    }

    /**
     * The pod's own constraints of one kind; for a pod without own constraints, the defaults of that kind with the
     * pod's default selector (none when it is empty, as 1.20's {@code selector.Empty()}).
     */
    private List<TopologySpreadConstraint> constraints(PodRequest pod, Topology topology, boolean doNotSchedule) {
        if (!pod.spread().isEmpty()) {
            List<TopologySpreadConstraint> own = null;
            for (TopologySpreadConstraint c : pod.spread()) {
                if (c.doNotSchedule() == doNotSchedule) {
                    own = own == null ? new ArrayList<>(2) : own;
                    own.add(c);
                }
            }
            return own == null ? List.of() : own;
        }
        List<TopologySpreadConstraint> defaults = doNotSchedule ? hardDefaults : softDefaults;
        if (defaults.isEmpty()) {
            return List.of();
        }
        LabelSelector selector = topology.defaultSpreadSelector(pod);
        if (selector.none()
                || (selector.matchLabels().isEmpty()
                        && selector.matchExpressions().isEmpty())) {
            return List.of();
        }
        List<TopologySpreadConstraint> out = new ArrayList<>(defaults.size());
        for (TopologySpreadConstraint c : defaults) {
            out.add(c.withSelector(selector));
        }
        return out;
    }

    /** Reads every node and pod of the cluster, not only the node at hand. */
    @Override
    public boolean nodeLocal() {
        return false;
    }
}
