package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * A conjunction of requirements; a node matches when every requirement holds. An empty term matches
 * nothing (Kubernetes semantics). Immutable.
 */
public record NodeSelectorTerm(List<NodeSelectorRequirement> requirements) {
    public NodeSelectorTerm {
        requirements = List.copyOf(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        if (requirements.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
