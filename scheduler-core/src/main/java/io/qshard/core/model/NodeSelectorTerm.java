package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * One node selector term: a conjunction of label requirements ({@code matchExpressions}) and field requirements
 * ({@code matchFields}, matched against the node's {@code metadata.name}, not its labels). A node matches when every
 * requirement of both lists holds; a term with neither matches nothing (kube-scheduler 1.20's {@code
 * MatchNodeSelectorTerms}). Immutable.
 *
 * @param requirements      {@code matchExpressions}, on the node's labels
 * @param fieldRequirements {@code matchFields}, on the node's name (key {@code metadata.name}, In/NotIn, one value)
 */
public record NodeSelectorTerm(
        List<NodeSelectorRequirement> requirements, List<NodeSelectorRequirement> fieldRequirements) {
    /** The field path of the node's name, the only key {@code matchFields} accepts. */
    public static final String NODE_NAME_FIELD = "metadata.name";

    public NodeSelectorTerm {
        requirements = List.copyOf(requirements);
        fieldRequirements = fieldRequirements == null ? List.of() : List.copyOf(fieldRequirements);
    }

    /** A term of label requirements only. */
    public NodeSelectorTerm(List<NodeSelectorRequirement> requirements) {
        this(requirements, List.of());
    }

    /**
     * Whether a node known only by its labels satisfies the term: its field requirements see an empty name, as in
     * kube-scheduler 1.20's volume binder ({@code CheckNodeAffinity(pv, node.Labels)} matches PV node affinity with no
     * node fields). Pod node affinity uses {@link #matches(String, Map)}.
     */
    public boolean matches(Map<String, String> labels) {
        return matches("", labels);
    }

    /** Whether the node named {@code nodeName} with these labels satisfies every requirement of the term. */
    public boolean matches(String nodeName, Map<String, String> labels) {
        if (requirements.isEmpty() && fieldRequirements.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fieldRequirements) {
            if (!r.matchesField(NODE_NAME_FIELD.equals(r.key()) ? nodeName : "")) {
                return false;
            }
        }
        return true;
    }
}
