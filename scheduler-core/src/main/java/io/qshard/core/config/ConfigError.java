package io.qshard.core.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One problem of a configuration file: the field it concerns and what is wrong, e.g. {@code tiers[2].pool} and
 * {@code unknown pool 'x' (allocatable, mid, batch, free)}. Immutable.
 *
 * @param field   the field's path, e.g. {@code tiers[1].weights.LeastAllocated}; empty for the whole file
 * @param problem what is wrong with it, never empty
 * @param line    1-based line in the file where the field (or, for a missing one, its nearest enclosing field) is
 *                written; 0 when unknown (the whole file, a field only the defaults hold)
 * @param column  1-based column on that line; 0 when unknown
 */
public record ConfigError(String field, String problem, int line, int column) implements Serializable {
    private static final long serialVersionUID = 1L;

    public ConfigError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
    }

    /** An error without a position. */
    public ConfigError(String field, String problem) {
        this(field, problem, 0, 0);
    }

    /** {@code field: problem}, or just the problem for the whole file, as the loader's message lists it. */
    @Override
    public String toString() {
        return field.isEmpty() ? problem : field + ": " + problem;
    }
}
