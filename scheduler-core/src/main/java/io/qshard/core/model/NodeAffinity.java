package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * A pod's node affinity. Immutable.
 *
 * @param required  ORed terms of {@code requiredDuringSchedulingIgnoredDuringExecution}; empty = no constraint
 * @param preferred weighted terms of {@code preferredDuringSchedulingIgnoredDuringExecution}
 */
public record NodeAffinity(List<NodeSelectorTerm> required, List<WeightedTerm> preferred) {
    /** No affinity. */
    public static final NodeAffinity NONE = new NodeAffinity(List.of(), List.of());

    public NodeAffinity {
        required = List.copyOf(required);
        preferred = List.copyOf(preferred);
    }

    /**
     * A preferred term and its weight.
     *
     * @param weight 1..100
     * @param term   the term
     */
    public record WeightedTerm(int weight, NodeSelectorTerm term) {}

    /**
     * Whether the required terms admit the node named {@code nodeName} with these labels (any term matches, or there
     * are none). The name is what {@code matchFields} on {@code metadata.name} compares.
     */
    public boolean requiredMatches(String nodeName, Map<String, String> labels) {
        if (required.isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm t : required) {
            if (t.matches(nodeName, labels)) {
                return true;
            }
        }
        return false;
    }

    /** Sum of the weights of the preferred terms the node named {@code nodeName} with these labels matches. */
    public int preferredWeight(String nodeName, Map<String, String> labels) {
        int sum = 0;
        for (WeightedTerm w : preferred) {
            if (w.term().matches(nodeName, labels)) {
                sum += w.weight();
            }
        }
        return sum;
    }
}
