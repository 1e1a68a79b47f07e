package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * One requirement of a node selector term: on a label (Kubernetes {@code matchExpressions}, {@link #matches}) or on a
 * field of the node ({@code matchFields}, {@link #matchesField}). Immutable.
 *
 * @param key      label key, or field path ({@code metadata.name}, the only field the API accepts)
 * @param operator In, NotIn, Exists, DoesNotExist, Gt, Lt (a field requirement: In or NotIn)
 * @param values   operand values (one integer for Gt/Lt; exactly one for a field requirement)
 */
public record NodeSelectorRequirement(String key, Operator operator, List<String> values) {
    public NodeSelectorRequirement {
        values = List.copyOf(values);
    }

    /** Node selector operators. */
    public enum Operator {
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST,
        GT,
        LT
    }

    /** Whether a node with these labels satisfies the requirement. */
    public boolean matches(Map<String, String> labels) {
        String v = labels.get(key);
        return switch (operator) {
            case IN -> v != null && values.contains(v);
            case NOT_IN -> v == null || !values.contains(v);
            case EXISTS -> v != null;
            case DOES_NOT_EXIST -> v == null;
            case GT -> v != null && compare(v) > 0;
            case LT -> v != null && compare(v) < 0;
        };
    }

    /**
     * Whether a node whose field {@link #key()} has {@code fieldValue} satisfies this as a {@code matchFields}
     * requirement: kube-scheduler 1.20's field selector ({@code nodeSelectorRequirementsAsFieldSelector}) takes In and
     * NotIn with exactly one value; any other operator or value count is a parse error there, which fails the whole
     * term, so it never matches here.
     */
    public boolean matchesField(String fieldValue) {
        if (values.size() != 1) {
            return false;
        }
        return switch (operator) {
            case IN -> values.get(0).equals(fieldValue);
            case NOT_IN -> !values.get(0).equals(fieldValue);
            default -> false;
        };
    }

    private int compare(String labelValue) {
        try {
            return Long.compare(Long.parseLong(labelValue), Long.parseLong(values.get(0)));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0; // not comparable: neither Gt nor Lt holds
        }
    }
}
