package io.qshard.core.model;

import java.util.Objects;
import java.util.Set;

/**
 * A PodDisruptionBudget as kube-scheduler 1.20's preemption reads it: only its selector and its status
 * ({@code disruptionsAllowed}, {@code disruptedPods}); {@code minAvailable} and {@code maxUnavailable} are the
 * disruption controller's business. Immutable.
 *
 * @param namespace          its namespace: it covers pods of that namespace only
 * @param name               its name
 * @param selector           {@code spec.selector}; an absent ({@link LabelSelector#NOTHING}) or empty ({@link
 *                           LabelSelector#EVERYTHING}) one covers no pod, as 1.20's {@code selector.Empty()} check
 * @param disruptionsAllowed {@code status.disruptionsAllowed}; may be 0 or, transiently, negative
 * @param disruptedPods      names of the pods in {@code status.disruptedPods} (evictions already processed): they do
 *                           not count against the budget again
 */
public record DisruptionBudget(
        String namespace, String name, LabelSelector selector, int disruptionsAllowed, Set<String> disruptedPods) {
    public DisruptionBudget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        selector = selector == null ? LabelSelector.NOTHING : selector;
        disruptedPods = Set.copyOf(disruptedPods);
    }

    /**
     * Whether evicting {@code pod} uses up one of this budget's disruptions (1.20's {@code filterPodsWithPDBViolation}
     * test): same namespace, the pod has labels, the selector is neither absent nor empty and matches them, and the
     * pod is not already among the disrupted pods.
     */
    public boolean covers(PodRequest pod) {
        return namespace.equals(pod.namespace())
                && !pod.labels().isEmpty()
                && !selector.none()
                && !selector.equals(LabelSelector.EVERYTHING)
                && selector.matches(pod.labels())
                && !disruptedPods.contains(pod.name());
    }
}
