package io.qshard.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The errors of one file being loaded, collected so the loader reports every one at once: a value that fails is
 * recorded and left out ({@link #attempt}), what depends on it is skipped, and the rest of the file is still checked.
 * {@link #throwIfAny()} ends the load with one {@link ConfigException} listing them in file order. Not thread-safe; one
 * per load.
 */
final class ConfigErrors {
    /**
     * Thrown by the accessors of a mapping whose own value was wrong (that error is recorded already): every field
     * under it is skipped without a further error. Never leaves the loader.
     */
    static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skipped() {
            super("skipped: the enclosing mapping is invalid", null, false, false);
        }
    }

    private record Entry(String field, String problem, String anchor) {}

    private final String source;
    private final YamlPositions positions;
    private final List<Entry> entries = new ArrayList<>();

    ConfigErrors(String source, YamlPositions positions) {
        this.source = source;
        this.positions = positions;
    }

    /** The file name errors are reported under. */
    String source() {
        return source;
    }

    /** How many errors are recorded so far (a section compares it before and after to know whether it is whole). */
    int count() {
        return entries.size();
    }

    /** Records an error of {@code field}. */
    void add(String field, String problem) {
        add(field, problem, field);
    }

    /** Records an error of {@code field}, sorted as if it were written where {@code anchor} is. */
    void add(String field, String problem, String anchor) {
        entries.add(new Entry(field, problem, anchor));
    }

    /**
     * The value {@code read} returns, or empty when it throws a {@link ConfigException} (its errors recorded) or
     * {@link Skipped} (nothing recorded: the enclosing mapping's error is).
     */
    <T> Optional<T> attempt(Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (ConfigException e) {
            e.errors().forEach(err -> add(err.field(), err.problem()));
            return Optional.empty();
        } catch (Skipped e) {
            return Optional.empty();
        }
    }

    /** @throws ConfigException listing every recorded error, by position in the file, when there is any */
    void throwIfAny() {
        if (entries.isEmpty()) {
            return;
        }
        List<ConfigError> out = new ArrayList<>();
        for (Entry e : entries) {
            YamlPositions.Position at = positions.of(e.anchor());
            out.add(new ConfigError(e.field(), e.problem(), at.line(), at.column()));
        }
        out.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column)); // stable
        throw new ConfigException(source, out.stream().distinct().toList());
    }
}
