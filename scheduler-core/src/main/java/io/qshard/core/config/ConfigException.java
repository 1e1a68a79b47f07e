package io.qshard.core.config;

import java.util.List;

/**
 * Invalid configuration: every error found in one source, in file order. With one error the message is
 * {@code "qshard.yaml: tiers[1].weights.LeastAllocated: 150 is out of range 1..100"}; with several it is
 * {@code "qshard.yaml: 3 errors:"} followed by one {@code "  field: problem"} line per error. Immutable.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final List<ConfigError> errors;

    /** One error of {@code source} (a file name, or a flag such as {@code --tier}); {@code field} may be empty. */
    public ConfigException(String source, String field, String problem) {
        this(source, List.of(new ConfigError(field, problem)));
    }

    /**
     * Every error of {@code source}, in the order given (the loader sorts them by position in the file).
     *
     * @throws IllegalArgumentException when {@code errors} is empty
     */
    public ConfigException(String source, List<ConfigError> errors) {
        super(message(source, errors));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    /** The file (or flag) the errors are about. */
    public String source() {
        return source;
    }

    /** Every error, at least one, in file order. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** The first error's field path, e.g. {@code tiers[1].weights.LeastAllocated}; empty for the whole file. */
    public String field() {
        return errors.get(0).field();
    }

    private static String message(String source, List<ConfigError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        if (errors.size() == 1) {
            return source + ": " + errors.get(0);
        }
        StringBuilder out = new StringBuilder(source + ": " + errors.size() + " errors:");
        errors.forEach(e -> out.append("\n  ").append(e));
        return out.toString();
    }
}
