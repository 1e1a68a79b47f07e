package io.qshard.core.preemption;

import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.FilterHandle;
import io.qshard.core.framework.Status;
import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * kube-scheduler 1.20's DefaultPreemption decision ({@code FindCandidates} + {@code SelectCandidate}) for a pod no
 * node fit, over one snapshot:
 *
 * <ol>
 *   <li>the nodes where preemption might help ({@link #potentialNodes});
 *   <li>a dry run on each, in ring order from {@code offset}, of {@link NodeVictims#select} with the tier's own
 *       filters ({@link FilterHandle}): on the node state alone when no rule spanning nodes concerns the pod, else run
 *       again on the snapshot without the pods removed — topology counts included, so pod affinity and spread see
 *       them gone; it stops once it has {@link PreemptionArgs#candidates} candidates and
 *       one of them violates no disruption budget ({@code dryRunPreemption});
 *   <li>{@link CandidatePick#pick} over the candidates, those without violations first.
 * </ol>
 * Who may preempt is {@link #eligible}. Stateless; everything it is given is read on the calling thread.
 */
public final class Preemption {
    private final FilterHandle filters;
    private final PreemptionArgs args;
    private final VictimOrder order;

    public Preemption(FilterHandle filters, PreemptionArgs args, VictimOrder order) {
        this.filters = Objects.requireNonNull(filters, "filters");
        this.args = Objects.requireNonNull(args, "args");
        this.order = Objects.requireNonNull(order, "order");
    }

    /**
     * 1.20's {@code PodEligibleToPreemptOthers}: not a pod with {@code preemptionPolicy: Never}, nor one nominated to
     * a node where a lower-priority pod is still terminating — its earlier preemption is under way there — unless the
     * cycle found that node unusable for good (UNRESOLVABLE).
     */
    public static boolean eligible(PodRequest pod, ClusterSnapshot snapshot, Diagnosis diagnosis) {
        if (pod.details().preemptNever()) {
            return false;
        }
        String nominated = pod.details().nominatedNode();
        if (nominated == null) {
            return true;
        }
        Status all = diagnosis.preFilterFailure(); // 1.20 gives every node the PreFilter's status
        Status there = all != null ? all : diagnosis.byNode().get(nominated);
        if (there != null && there.code() == Status.Code.UNRESOLVABLE) {
            return true;
        }
        NodeState node = snapshot.node(nominated).orElse(null);
        if (node != null) {
            for (PodRequest p : node.pods()) {
                if (p.terminating() && p.priority() < pod.priority()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * 1.20's {@code nodesWherePreemptionMightHelp}, in snapshot order: every node of {@code snapshot} but those the
     * failed cycle rejected UNRESOLVABLE (a PreFilter's rejection stands for every node). A node the cycle rejected
     * with ERROR is left out too: in 1.20 a filter error ends the cycle before preemption. Empty: preemption cannot
     * help anywhere (1.20 then clears the pod's nominated node).
     */
    public static List<NodeState> potentialNodes(ClusterSnapshot snapshot, Diagnosis diagnosis) {
        Status all = diagnosis.preFilterFailure();
        List<NodeState> out = new ArrayList<>();
        if (all != null && (all.code() == Status.Code.UNRESOLVABLE || all.code() == Status.Code.ERROR)) {
            return out;
        }
        Map<String, Status> byNode = diagnosis.byNode();
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState n = snapshot.node(i);
            Status s = all != null ? all : byNode.get(n.name());
            if (s == null || (s.code() != Status.Code.UNRESOLVABLE && s.code() != Status.Code.ERROR)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * The node to nominate for {@code pod} and the pods to remove there, or null when removing lower-priority pods
     * makes it fit nowhere. Only pods sized by requests (prod, {@link PoolRule#ALLOCATABLE}) are decided: the pools
     * of the other tiers are measured on reported usage, which removing a pod does not lower (null for them).
     *
     * @param diagnosis the failed cycle's verdict per node
     * @param offset    where the dry run starts among {@link #potentialNodes} (1.20: random), ≥ 0
     */
    public Victims decide(
            ClusterSnapshot snapshot, PodRequest pod, Diagnosis diagnosis, List<DisruptionBudget> budgets, int offset) {
        return decide(snapshot, pod, diagnosis, budgets, offset, v -> true);
    }

    /**
     * {@link #decide} where only candidates {@code allowed} accepts count (the cross-tier caps,
     * {@link io.qshard.core.framework.EvictionCaps}):
     * a node whose victims it refuses is passed over as if removing pods did not make room there. Once as many
     * candidates as {@link PreemptionArgs#candidates} were refused and none allowed, the dry run stops.
     */
    public Victims decide(
            ClusterSnapshot snapshot,
            PodRequest pod,
            Diagnosis diagnosis,
            List<DisruptionBudget> budgets,
            int offset,
            java.util.function.Predicate<Victims> allowed) {
        return decideAmong(potentialNodes(snapshot, diagnosis), snapshot, pod, budgets, offset, allowed);
    }

    /** {@link #decide} over {@code potential}, the {@link #potentialNodes} the caller has already computed. */
    public Victims decideAmong(
            List<NodeState> potential,
            ClusterSnapshot snapshot,
            PodRequest pod,
            List<DisruptionBudget> budgets,
            int offset,
            java.util.function.Predicate<Victims> allowed) {
        if (pod.poolRule() != PoolRule.ALLOCATABLE) {
            return null; // pools measured on reported usage, which removing a pod does not lower: not decided yet
        }
        if (potential.isEmpty()) {
            return null;
        }
        int wanted = args.candidates(potential.size());
        FilterHandle.PodFilters prepared = filters.prepare(snapshot, pod);
        List<Victims> clean = new ArrayList<>();
        int refused = 0;
        List<Victims> violating = new ArrayList<>();
        for (int i = 0; i < potential.size(); i++) {
            NodeState node = potential.get(Math.floorMod(offset + i, potential.size()));
            NodeVictims.Fit fit = prepared.nodeLocal()
                    ? state -> prepared.check(state).isSuccess() // no rule spans nodes: the node alone decides
                    : fit(snapshot, pod, node);
            Victims v = NodeVictims.select(node, pod, fit, budgets, order);
            if (v == null) {
                continue;
            }
            if (!allowed.test(v)) {
                // a refused candidate counts toward the limit only while none is allowed: the dry run stays bounded
                // when (nearly) every candidate is refused
                if (++refused >= wanted && clean.isEmpty() && violating.isEmpty()) {
                    break;
                }
                continue;
            }
            (v.pdbViolations() == 0 ? clean : violating).add(v);
            if (!clean.isEmpty() && clean.size() + violating.size() >= wanted) {
                break;
            }
        }
        List<Victims> all = new ArrayList<>(clean.subList(0, Math.min(clean.size(), wanted)));
        all.addAll(violating.subList(0, Math.min(violating.size(), wanted)));
        return CandidatePick.pick(all, order);
    }

    /**
     * The tier's PreFilters and Filters run again on {@code snapshot} as it would be with {@code original}'s missing
     * pods gone — topology counts included — for a pod some rule spanning nodes concerns. The snapshot of the previous
     * check is kept and changed by the pods that differ (the dry run removes or gives back one pod at a time), not
     * rebuilt from {@code snapshot} for every check.
     */
    private NodeVictims.Fit fit(ClusterSnapshot snapshot, PodRequest pod, NodeState original) {
        return new NodeVictims.Fit() {
            private NodeState lastState = original;
            private ClusterSnapshot lastSnapshot = snapshot;

            @Override
            public boolean fits(NodeState state) {
                ClusterSnapshot s = lastSnapshot;
                for (PodRequest p : lastState.pods()) {
                    if (!state.hasPod(p.uid())) {
                        s = s.withoutPod(bound(p, original));
                    }
                }
                for (PodRequest p : state.pods()) {
                    if (!lastState.hasPod(p.uid())) {
                        s = s.withPod(bound(p, original));
                    }
                }
                lastState = state;
                lastSnapshot = s;
                return filters.prepare(s, pod)
                        .check(s.node(original.name()).orElseThrow())
                        .isSuccess();
            }
        };
    }

    private static PodRequest bound(PodRequest p, NodeState node) {
        return p.nodeName() == null ? p.boundTo(node.name()) : p;
    }
}
