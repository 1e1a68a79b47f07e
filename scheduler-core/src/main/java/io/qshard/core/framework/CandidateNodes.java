package io.qshard.core.framework;

import java.util.Objects;
import java.util.Set;

/**
 * The only nodes a PreFilter's Filter can pass for a pod ({@link PreFilterPlugin#candidateNodes}, kube-scheduler's
 * {@code PreFilterResult}): the nodes whose label {@code key} has one of {@code values}. The algorithm resolves them to
 * snapshot positions through a memo per node set, so a decision does not look every name up. Immutable.
 *
 * @param key    node label, e.g. {@code topology.kubernetes.io/zone}
 * @param values the label values allowed
 * @param nodes  how many nodes of the cluster carry one of them (to judge whether narrowing the walk pays)
 */
public record CandidateNodes(String key, Set<String> values, int nodes) {
    public CandidateNodes {
        Objects.requireNonNull(key, "key");
        values = Set.copyOf(values);
    }
}
