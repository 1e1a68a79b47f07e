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
 * A YAML mapping being read with its path, so every error names the field; {@link #finish()} rejects keys
 * nobody asked for (typos). Not thread-safe; one per mapping during loading.
 */
final class YamlMap {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final String source;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    YamlMap(String source, String path, Object value) {
        this.source = source;
        this.path = path;
        if (value == null) {
            this.values = Map.of();
        } else if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                copy.put(String.valueOf(e.getKey()), e.getValue());
            }
            this.values = copy;
        } else {
            throw error(path, "expected a mapping, found " + describe(value));
        }
    }

    String path() {
        return path;
    }

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
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
    }

    Optional<List<String>> stringList(String key) {
        Object v = raw(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof List<?> list)) {
            throw error(field(key), "expected a list, found " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s) || s.isBlank()) {
                throw error(field(key) + "[" + i + "]", "expected a non-empty string, found " + describe(list.get(i)));
            }
            out.add(s);
        }
        return Optional.of(out);
    }

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
            out.add(new YamlMap(source, field(key) + "[" + i + "]", list.get(i)));
        }
        return Optional.of(out);
    }

    YamlMap map(String key) {
        return new YamlMap(source, field(key), raw(key));
    }

    /** The keys present in this mapping (marks them known). */
    Set<String> keys() {
        known.addAll(values.keySet());
        return values.keySet();
    }

    /** Rejects keys that no accessor asked for. */
    void finish() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw error(field(k), "unknown field (known here: " + String.join(", ", known) + ")");
            }
        }
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigException error(String field, String problem) {
        return new ConfigException(source, field, problem);
    }

    private Object raw(String key) {
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
                                : "a " + v.getClass().getSimpleName().toLowerCase();
        String text = String.valueOf(v);
        return kind + " '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
    }
}
