package io.qshard.core.model;

import java.util.List;
import java.util.Map;

/**
 * One label requirement of a node selector term (Kubernetes {@code matchExpressions}). Immutable.
 *
 * @param key      label key
 * @param operator In, NotIn, Exists, DoesNotExist, Gt, Lt
 * @param values   operand values (one integer for Gt/Lt)
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

    private int compare(String labelValue) {
        try {
            return Long.compare(Long.parseLong(labelValue), Long.parseLong(values.get(0)));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0; // not comparable: neither Gt nor Lt holds
        }
    }
}
