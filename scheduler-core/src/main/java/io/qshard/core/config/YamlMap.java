package io.qshard.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML mapping being read with its path, so every error names the field; {@link #finish()} reports keys nobody
 * asked for (typos). A value of the wrong type throws a {@link ConfigException} (the loader records it and skips
 * that value); a mapping that is not one is recorded when it is read and then skips everything under it
 * ({@link ConfigErrors.Skipped}). Not thread-safe; one per mapping during loading.
 */
final class YamlMap {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    /** The value of a mapping under one that was not a mapping. */
    private static final Object SKIPPED = new Object();

    private final ConfigErrors errors;
    private final String path;
    private final Map<String, Object> values;
    private final boolean valid;
    private final Set<String> known = new LinkedHashSet<>();

    /** The mapping {@code value} at {@code path}; anything else but nothing is recorded as an error. */
    YamlMap(ConfigErrors errors, String path, Object value) {
        this(errors, path, value, true);
    }

    private YamlMap(ConfigErrors errors, String path, Object value, boolean report) {
        this.errors = errors;
        this.path = path;
        this.valid = value == null || value instanceof Map<?, ?>;
        Map<String, Object> copy = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                copy.put(String.valueOf(e.getKey()), e.getValue());
            }
        } else if (value != null && report) {
            errors.add(path, "expected a mapping, found " + describe(value));
        }
        this.values = copy;
    }

    String path() {
        return path;
    }

    /** False when the value was not a mapping (or sits under one that was not): its error is recorded already. */
    boolean valid() {
        return valid;
    }

    /** Whether {@code key} has a value (false for every key of a mapping that was not one). */
    boolean has(String key) {
        known.add(key);
        return values.containsKey(key) && values.get(key) != null;
    }

    Optional<String> string(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw error(field(key), "expected a non-empty string, found " + describe(v));
        }
        return Optional.of(s);
    }

    Optional<Long> integer(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Integer || v instanceof Long) {
            return Optional.of(((Number) v).longValue());
        }
        throw error(field(key), "expected an integer, found " + describe(v));
    }

    Optional<Double> number(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return Optional.of(n.doubleValue());
        }
        throw error(field(key), "expected a number, found " + describe(v));
    }

    boolean bool(String key) {
        Object v = raw(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw error(field(key), "expected true or false, found " + describe(v));
    }

    /** Durations like {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
    Optional<Duration> duration(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(String.valueOf(v).trim());
        if (!(v instanceof String) || !m.matches()) {
            throw error(field(key), "expected a duration like 500ms, 10s, 5m or 1h, found " + describe(v));
        }
        try {
            long n = Long.parseLong(m.group(1));
            return Optional.of(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofHours(n);
                    });
        } catch (NumberFormatException | ArithmeticException tooLong) {
            throw error(field(key), "duration " + describe(v) + " is too long");
        }
    }

    /** A list of non-empty strings; every bad element is recorded, and then the list is skipped. */
    Optional<List<String>> stringList(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> list)) {
            throw error(field(key), "expected a list, found " + describe(v));
        }
        List<String> out = new ArrayList<>();
        boolean bad = false;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || s.isBlank()) {
                errors.add(field(key) + "[" + i + "]", "expected a non-empty string, found " + describe(list.get(i)));
                bad = true;
            } else {
                out.add(s);
            }
        }
        if (bad) {
            throw new ConfigErrors.Skipped();
        }
        return Optional.of(out);
    }

    /** A list of mappings; an element that is not a mapping is recorded and left out (the others are returned). */
    Optional<List<YamlMap>> mapList(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> list)) {
            throw error(field(key), "expected a list, found " + describe(v));
        }
        List<YamlMap> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            YamlMap element = new YamlMap(errors, field(key) + "[" + i + "]", list.get(i));
            if (element.valid) {
                out.add(element);
            }
        }
        return Optional.of(out);
    }

    /** The mapping under {@code key} (empty when absent); a value that is not a mapping is recorded here. */
    YamlMap map(String key) {
        return valid
                ? new YamlMap(errors, field(key), raw(key))
                : new YamlMap(errors, field(key), SKIPPED, false); // skipped with its parent, whose error is recorded
    }

    /** The keys present in this mapping (marks them known). */
    Set<String> keys() {
        known.addAll(values.keySet());
        return values.keySet();
    }

    /** Records every key that no accessor asked for. */
    void finish() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                errors.add(field(k), "unknown field (known here: " + String.join(", ", known) + ")");
            }
        }
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigException error(String field, String problem) {
        return new ConfigException(errors.source(), field, problem);
    }

    private Object raw(String key) {
        if (!valid) {
            throw new ConfigErrors.Skipped();
        }
        known.add(key);
        return values.get(key);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        String kind = v instanceof Map
                ? "a mapping"
                : v instanceof List
                        ? "a list"
                        : v instanceof String
                                ? "text"
                                : "a " + v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        String text = String.valueOf(v);
        return kind + " '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }
}
