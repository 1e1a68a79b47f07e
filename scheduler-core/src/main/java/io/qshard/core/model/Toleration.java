package io.qshard.core.model;

/**
 * A pod's toleration, with the Kubernetes matching rules: an empty key with {@code Exists} tolerates
 * everything; a null effect matches every effect. Immutable.
 *
 * @param key      taint key to match; empty matches all keys (only with {@link Operator#EXISTS})
 * @param operator {@code Equal} (value must match) or {@code Exists}
 * @param value    value for {@code Equal}
 * @param effect   effect to match, or null for all
 */
public record Toleration(String key, Operator operator, String value, Taint.Effect effect) {
    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null ? Operator.EQUAL : operator;
        value = value == null ? "" : value;
    }

    /** Toleration operators. */
    public enum Operator {
        EQUAL,
        EXISTS
    }

    /** Field-wise; written out for the same reason as {@link Resources#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Toleration t
                && operator == t.operator
                && effect == t.effect
                && key.equals(t.key)
                && value.equals(t.value);
    }

    @Override
    public int hashCode() {
        return ((key.hashCode() * 31 + operator.hashCode()) * 31 + value.hashCode()) * 31
                + java.util.Objects.hashCode(effect);
    }

    /** Whether this toleration tolerates {@code taint}. */
    public boolean tolerates(Taint taint) {
        if (effect != null && effect != taint.effect()) {
            return false;
        }
        if (key.isEmpty()) {
            return operator == Operator.EXISTS;
        }
        if (!key.equals(taint.key())) {
            return false;
        }
        return operator == Operator.EXISTS || value.equals(taint.value());
    }
}
