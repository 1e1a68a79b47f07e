package io.qshard.core.config;

/**
 * Invalid configuration. The message names the source and the field, e.g.
 * {@code "qshard.yaml: tiers[1].weights.LeastAllocated: 150 is out of range 1..100"}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ConfigException(String source, String field, String problem) {
        super(source + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
        this.field = field;
    }

    /** The offending field's path, e.g. {@code tiers[1].weights.LeastAllocated}; empty for the whole file. */
    public String field() {
        return field;
    }
}
