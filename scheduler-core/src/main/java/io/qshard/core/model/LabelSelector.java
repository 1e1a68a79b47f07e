package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector ({@code metav1.LabelSelector}) over pod or namespace labels. Immutable.
 *
 * <p>An empty selector ({@link #EVERYTHING}) matches every set of labels; an absent one is {@link #NOTHING}, which
 * matches none — as kube-scheduler reads a term or constraint without a {@code labelSelector}.
 *
 * @param matchLabels      every entry must be present with that value
 * @param matchExpressions every requirement must hold (operators In, NotIn, Exists, DoesNotExist)
 * @param none             true only for {@link #NOTHING}
 */
public record LabelSelector(
        Map<String, String> matchLabels, List<NodeSelectorRequirement> matchExpressions, boolean none) {
    /** The empty selector: matches everything. */
    public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of(), false);
    /** The absent selector: matches nothing. */
    public static final LabelSelector NOTHING = new LabelSelector(Map.of(), List.of(), true);

    public LabelSelector {
        matchLabels = Map.copyOf(matchLabels);
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** A selector with these parts (never {@link #NOTHING}). */
    public static LabelSelector of(Map<String, String> matchLabels, List<NodeSelectorRequirement> matchExpressions) {
        return matchLabels.isEmpty() && matchExpressions.isEmpty()
                ? EVERYTHING
                : new LabelSelector(matchLabels, matchExpressions, false);
    }

    /** Whether these labels satisfy the selector. */
    public boolean matches(Map<String, String> labels) {
        if (none) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** This selector with one more requirement {@code key In [value]} (a spread constraint's {@code matchLabelKeys}). */
    public LabelSelector and(String key, String value) {
        if (none) {
            return this;
        }
        List<NodeSelectorRequirement> more = new java.util.ArrayList<>(matchExpressions);
        more.add(new NodeSelectorRequirement(key, NodeSelectorRequirement.Operator.IN, List.of(value)));
        return new LabelSelector(matchLabels, more, false);
    }
}
