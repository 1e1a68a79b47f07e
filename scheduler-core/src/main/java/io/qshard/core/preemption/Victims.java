package io.qshard.core.preemption;

import io.qshard.core.model.PodRequest;
import java.util.List;
import java.util.Objects;

/**
 * A candidate node of a preemption and the pods that must go for the preemptor to fit there (kube's {@code
 * extenderv1.Victims}). Immutable.
 *
 * @param node           the node's name
 * @param pods           the victims, in kube-scheduler 1.20's order: those whose eviction violates a disruption budget
 *                       first, then the others, each group most important first (not re-sorted after the reprieve, as
 *                       1.20: the first pod need not be the most important one); may be empty
 * @param pdbViolations  how many of them violate a disruption budget, ≥ 0
 */
public record Victims(String node, List<PodRequest> pods, int pdbViolations) {
    public Victims {
        Objects.requireNonNull(node, "node");
        pods = List.copyOf(pods);
        if (pdbViolations < 0 || pdbViolations > pods.size()) {
            throw new IllegalArgumentException(
                    "node " + node + ": pdbViolations must be in [0, " + pods.size() + "], was " + pdbViolations);
        }
    }
}
