package io.qshard.core.framework;

import io.qshard.core.model.PodRequest;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PostFilterPlugin} found for a pod no node fit. Immutable.
 *
 * @param status         SUCCESS when it nominated a node; UNSCHEDULABLE with reasons when it found nothing this time;
 *                       UNRESOLVABLE when it cannot help on any node (the runtime then clears the pod's nomination, as
 *                       kube-scheduler 1.20 does)
 * @param nominatedNode  the node the pod should get once room is made, or null
 * @param victims        the pods to remove from that node first, in the order to remove them (empty: none, or no
 *                       nomination)
 * @param pdbViolations  how many of the victims break a PodDisruptionBudget, ≥ 0
 * @param budgetRefused  candidate nodes passed over because removing their victims would break a PodDisruptionBudget
 *                       (another candidate was chosen), ≥ 0
 */
public record PostFilterResult(
        Status status, String nominatedNode, List<PodRequest> victims, int pdbViolations, int budgetRefused) {
    /** Nothing to offer. */
    public static final PostFilterResult NONE =
            new PostFilterResult(Status.unschedulable("PostFilter", "no post-filter"), null, List.of(), 0, 0);

    public PostFilterResult {
        Objects.requireNonNull(status, "status");
        victims = List.copyOf(victims);
        if (status.isSuccess() != (nominatedNode != null)) {
            throw new IllegalArgumentException("a successful post-filter nominates a node, and only then");
        }
        if (nominatedNode == null && !victims.isEmpty()) {
            throw new IllegalArgumentException("victims without a nominated node");
        }
        if (pdbViolations < 0 || pdbViolations > victims.size()) {
            throw new IllegalArgumentException("pdbViolations must be in [0, victims], was " + pdbViolations);
        }
        if (budgetRefused < 0) {
            throw new IllegalArgumentException("budgetRefused must be >= 0, was " + budgetRefused);
        }
    }

    /** A nomination with nothing to remove. */
    public static PostFilterResult nominate(String node) {
        return preempt(node, List.of(), 0, 0);
    }

    /** A nomination once {@code victims} are gone from {@code node}. */
    public static PostFilterResult preempt(
            String node, List<PodRequest> victims, int pdbViolations, int budgetRefused) {
        return new PostFilterResult(
                Status.SUCCESS, Objects.requireNonNull(node, "node"), victims, pdbViolations, budgetRefused);
    }

    /** Nothing found: {@code status} (not SUCCESS) says why. */
    public static PostFilterResult none(Status status) {
        return new PostFilterResult(status, null, List.of(), 0, 0);
    }
}
