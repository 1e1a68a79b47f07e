package io.qshard.core.preemption;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.NodeState;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-scheduler 1.20's {@code selectVictimsOnNode}: the fewest pods to remove from one node so that the preemptor
 * fits there.
 *
 * <ol>
 *   <li>Every pod of strictly lower priority is removed; none, or the preemptor still does not fit: not a candidate.
 *   <li>They are sorted most important first ({@link VictimOrder}) and split by the disruption budgets
 *       ({@link #violating}): a budget's allowed disruptions are used up by the more important pods first.
 *   <li>Each is given back in that order — the budget-violating ones first, then the others — and stays if the
 *       preemptor still fits; the ones that cannot stay are the victims.
 * </ol>
 * Stateless; {@link Fit} is called on the calling thread only.
 */
public final class NodeVictims {
    /** Whether the preemptor passes its tier's filters on a state of one node. */
    @FunctionalInterface
    public interface Fit {
        /**
         * @param node the node with some pods removed; the caller adds the pods nominated to it that outrank the
         *             preemptor, and runs the filters that span nodes with this state of the node in the cluster
         */
        boolean fits(NodeState node);
    }

    private NodeVictims() {}

    /** The victims on {@code node}, or null when removing pods does not make {@code preemptor} fit there. */
    public static Victims select(
            NodeState node, PodRequest preemptor, Fit fit, List<DisruptionBudget> budgets, VictimOrder order) {
        List<PodRequest> lower = new ArrayList<>();
        NodeState without = node;
        for (PodRequest p : node.pods()) {
            if (p.priority() < preemptor.priority()) {
                lower.add(p);
                without = without.unreserve(p.uid());
            }
        }
        if (lower.isEmpty() || !fit.fits(without)) {
            return null;
        }
        lower.sort(order);
        boolean[] violates = violating(lower, budgets);
        List<PodRequest> victims = new ArrayList<>();
        int violations = 0;
        for (boolean pass : new boolean[] {true, false}) { // the budget-violating pods get their reprieve first
            for (int i = 0; i < lower.size(); i++) {
                if (violates[i] != pass) {
                    continue;
                }
                NodeState with = without.reserve(lower.get(i));
                if (fit.fits(with)) {
                    without = with;
                } else {
                    victims.add(lower.get(i));
                    violations += pass ? 1 : 0;
                }
            }
        }
        return new Victims(node.node().name(), victims, violations);
    }

    /**
     * 1.20's {@code filterPodsWithPDBViolation}: for {@code pods} in order, whether evicting each (after the ones
     * before it) takes a budget covering it below zero. Every covering budget is charged, not only the first; each
     * call starts from the budgets' {@code disruptionsAllowed}.
     */
    static boolean[] violating(List<PodRequest> pods, List<DisruptionBudget> budgets) {
        int[] allowed = new int[budgets.size()];
        for (int b = 0; b < allowed.length; b++) {
            allowed[b] = budgets.get(b).disruptionsAllowed();
        }
        boolean[] out = new boolean[pods.size()];
        for (int i = 0; i < pods.size(); i++) {
            for (int b = 0; b < allowed.length; b++) {
                if (budgets.get(b).covers(pods.get(i)) && --allowed[b] < 0) {
                    out[i] = true;
                }
            }
        }
        return out;
    }
}
