package io.qshard.kube.convert;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams one pod's {@code spec.affinity.podAffinity}/{@code podAntiAffinity} and {@code
 * spec.topologySpreadConstraints} into core records, for {@link PodJsonReader} (made only for pods that carry them).
 * A value the API would reject (unknown operator, {@code maxSkew < 1}, no {@code topologyKey}…) does not stop the
 * decoding: the first one is kept as {@link #invalid()}, naming the field, and {@link PodConverter} refuses the pod
 * (a bound one it keeps without these fields). The API defaults are applied in {@link #podAffinity(String)} and
 * {@link #spread(Map)}, once the pod's namespace and labels are known. Not thread-safe (one per pod being decoded).
 */
final class PodTopologyReader {
    private static final String SPREAD = "spec.topologySpreadConstraints";

    private final List<PodAffinityTerm> required = new ArrayList<>(1);
    private final List<PodAffinity.Weighted> preferred = new ArrayList<>(1);
    private final List<PodAffinityTerm> requiredAnti = new ArrayList<>(1);
    private final List<PodAffinity.Weighted> preferredAnti = new ArrayList<>(1);
    private final List<TopologySpreadConstraint> spread = new ArrayList<>(1);
    private final List<List<String>> matchLabelKeys = new ArrayList<>(1);
    private String invalid;

    /** The first invalid value found, as {@code field: what}, or null. */
    String invalid() {
        return invalid;
    }

    /** Reads {@code podAffinity} ({@code anti} false) or {@code podAntiAffinity}; the parser is on its value. */
    void podAffinity(JsonParser p, boolean anti) {
        String path = anti ? "spec.affinity.podAntiAffinity" : "spec.affinity.podAffinity";
        if (!object(p, path)) {
            return;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "requiredDuringSchedulingIgnoredDuringExecution" -> {
                    String at = path + "." + f;
                    if (array(p, at)) {
                        for (int i = 0; more(p); i++) {
                            PodAffinityTerm t = term(p, at + "[" + i + "]");
                            if (t != null) {
                                (anti ? requiredAnti : required).add(t);
                            }
                        }
                    }
                }
                case "preferredDuringSchedulingIgnoredDuringExecution" -> {
                    String at = path + "." + f;
                    if (array(p, at)) {
                        for (int i = 0; more(p); i++) {
                            PodAffinity.Weighted w = weighted(p, at + "[" + i + "]");
                            if (w != null) {
                                (anti ? preferredAnti : preferred).add(w);
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    /** Reads {@code topologySpreadConstraints}; the parser is on its value. */
    void spread(JsonParser p) {
        if (!array(p, SPREAD)) {
            return;
        }
        for (int i = 0; more(p); i++) {
            constraint(p, SPREAD + "[" + i + "]");
        }
    }

    /** The terms, those listing no namespace and no namespaceSelector scoped to {@code namespace} (the pod's own). */
    PodAffinity podAffinity(String namespace) {
        if (required.isEmpty() && preferred.isEmpty() && requiredAnti.isEmpty() && preferredAnti.isEmpty()) {
            return PodAffinity.NONE;
        }
        Set<String> own = namespace == null ? Set.of() : Set.of(namespace);
        return new PodAffinity(
                required.stream().map(t -> scoped(t, own)).toList(),
                preferred.stream()
                        .map(w -> new PodAffinity.Weighted(w.weight(), scoped(w.term(), own)))
                        .toList(),
                requiredAnti.stream().map(t -> scoped(t, own)).toList(),
                preferredAnti.stream()
                        .map(w -> new PodAffinity.Weighted(w.weight(), scoped(w.term(), own)))
                        .toList());
    }

    /**
     * The constraints, each {@code matchLabelKeys} key the pod has ANDed into its selector as {@code key In [value]}
     * (as kube-scheduler does; an absent selector stays {@link LabelSelector#NOTHING}).
     */
    List<TopologySpreadConstraint> spread(Map<String, String> podLabels) {
        List<TopologySpreadConstraint> out = new ArrayList<>(spread.size());
        for (int i = 0; i < spread.size(); i++) {
            TopologySpreadConstraint c = spread.get(i);
            LabelSelector s = c.selector();
            for (String key : matchLabelKeys.get(i)) {
                String value = podLabels.get(key);
                if (value != null) {
                    s = s.and(key, value);
                }
            }
            out.add(s == c.selector() ? c : c.withSelector(s));
        }
        return out;
    }

    private static PodAffinityTerm scoped(PodAffinityTerm t, Set<String> own) {
        return t.namespaces().isEmpty() && t.namespaceSelector() == null
                ? new PodAffinityTerm(t.selector(), own, null, t.topologyKey())
                : t;
    }

    private PodAffinity.Weighted weighted(JsonParser p, String path) {
        if (!object(p, path)) {
            return null;
        }
        Long weight = null;
        PodAffinityTerm term = null;
        boolean sawTerm = false;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "weight" -> weight = integer(p, path + ".weight");
                case "podAffinityTerm" -> {
                    sawTerm = true;
                    term = term(p, path + ".podAffinityTerm");
                }
                default -> p.skipChildren();
            }
        }
        if (weight == null || weight < 1 || weight > 100) {
            problem(path + ".weight", "must be 1..100, was " + weight);
            return null;
        }
        if (!sawTerm) {
            problem(path + ".podAffinityTerm", "required");
        }
        return term == null ? null : new PodAffinity.Weighted(weight.intValue(), term);
    }

    private PodAffinityTerm term(JsonParser p, String path) {
        if (!object(p, path)) {
            return null;
        }
        LabelSelector selector = LabelSelector.NOTHING;
        Set<String> namespaces = Set.of();
        LabelSelector namespaceSelector = null;
        String topologyKey = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "labelSelector" -> selector = selector(p, path + ".labelSelector", LabelSelector.NOTHING);
                case "namespaces" -> namespaces = new HashSet<>(strings(p, path + ".namespaces"));
                case "namespaceSelector" -> namespaceSelector = selector(p, path + ".namespaceSelector", null);
                case "topologyKey" -> topologyKey = text(p, path + ".topologyKey");
                default -> p.skipChildren(); // matchLabelKeys/mismatchLabelKeys: merged into labelSelector by the API
            }
        }
        if (topologyKey == null || topologyKey.isEmpty()) {
            problem(path + ".topologyKey", "required");
            return null;
        }
        return new PodAffinityTerm(selector, namespaces, namespaceSelector, topologyKey);
    }

    private void constraint(JsonParser p, String path) {
        if (!object(p, path)) {
            return;
        }
        Long maxSkew = null;
        Long minDomains = null;
        String topologyKey = null;
        String when = null;
        String affinityPolicy = null;
        String taintsPolicy = null;
        LabelSelector selector = LabelSelector.NOTHING;
        List<String> keys = List.of();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "maxSkew" -> maxSkew = integer(p, path + ".maxSkew");
                case "topologyKey" -> topologyKey = text(p, path + ".topologyKey");
                case "whenUnsatisfiable" -> when = text(p, path + ".whenUnsatisfiable");
                case "labelSelector" -> selector = selector(p, path + ".labelSelector", LabelSelector.NOTHING);
                case "minDomains" -> minDomains = integer(p, path + ".minDomains");
                case "nodeAffinityPolicy" -> affinityPolicy = text(p, path + ".nodeAffinityPolicy");
                case "nodeTaintsPolicy" -> taintsPolicy = text(p, path + ".nodeTaintsPolicy");
                case "matchLabelKeys" -> keys = strings(p, path + ".matchLabelKeys");
                default -> p.skipChildren();
            }
        }
        if (maxSkew == null || maxSkew < 1 || maxSkew > Integer.MAX_VALUE) {
            problem(path + ".maxSkew", "must be ≥ 1, was " + maxSkew);
        } else if (topologyKey == null || topologyKey.isEmpty()) {
            problem(path + ".topologyKey", "required");
        } else if (!"DoNotSchedule".equals(when) && !"ScheduleAnyway".equals(when)) {
            problem(path + ".whenUnsatisfiable", "must be DoNotSchedule or ScheduleAnyway, was " + quoted(when));
        } else if (minDomains != null && (minDomains < 1 || minDomains > Integer.MAX_VALUE)) {
            problem(path + ".minDomains", "must be ≥ 1, was " + minDomains);
        } else {
            Boolean honorAffinity = policy(affinityPolicy, true, path + ".nodeAffinityPolicy");
            Boolean honorTaints = policy(taintsPolicy, false, path + ".nodeTaintsPolicy");
            if (honorAffinity != null && honorTaints != null) {
                spread.add(new TopologySpreadConstraint(
                        maxSkew.intValue(),
                        topologyKey,
                        "DoNotSchedule".equals(when),
                        selector,
                        minDomains == null ? 1 : minDomains.intValue(),
                        honorAffinity,
                        honorTaints));
                matchLabelKeys.add(keys);
            }
        }
    }

    /** Honor → true, Ignore → false, absent → {@code absent}; anything else is a problem (null). */
    private Boolean policy(String value, boolean absent, String path) {
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "Honor" -> true;
            case "Ignore" -> false;
            default -> {
                problem(path, "must be Honor or Ignore, was " + quoted(value));
                yield null;
            }
        };
    }

    /** A {@code metav1.LabelSelector}; JSON null or absent → {@code absent}. */
    private LabelSelector selector(JsonParser p, String path, LabelSelector absent) {
        if (p.currentToken() == JsonToken.VALUE_NULL || !object(p, path)) {
            return absent;
        }
        Map<String, String> matchLabels = Map.of();
        List<NodeSelectorRequirement> expressions = List.of();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "matchLabels" -> matchLabels = stringMap(p, path + ".matchLabels");
                case "matchExpressions" -> expressions = requirements(p, path + ".matchExpressions");
                default -> p.skipChildren();
            }
        }
        return LabelSelector.of(matchLabels, expressions);
    }

    private List<NodeSelectorRequirement> requirements(JsonParser p, String path) {
        List<NodeSelectorRequirement> out = new ArrayList<>();
        if (p.currentToken() == JsonToken.VALUE_NULL || !array(p, path)) {
            return out;
        }
        for (int i = 0; more(p); i++) {
            String at = path + "[" + i + "]";
            if (!object(p, at)) {
                continue;
            }
            String key = null;
            String operator = null;
            List<String> values = List.of();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "key" -> key = text(p, at + ".key");
                    case "operator" -> operator = text(p, at + ".operator");
                    case "values" -> values = strings(p, at + ".values");
                    default -> p.skipChildren();
                }
            }
            try {
                out.add(WorkloadConverter.requirement(key, operator, values));
            } catch (IllegalArgumentException e) {
                problem(at, e.getMessage());
            }
        }
        return out;
    }

    private Map<String, String> stringMap(JsonParser p, String path) {
        if (p.currentToken() == JsonToken.VALUE_NULL || !object(p, path)) {
            return Map.of();
        }
        Map<String, String> m = new HashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String k = p.currentName();
            p.nextToken();
            String v = text(p, path + "." + k);
            if (v != null) {
                m.put(k, v);
            }
        }
        return m;
    }

    private List<String> strings(JsonParser p, String path) {
        if (p.currentToken() == JsonToken.VALUE_NULL || !array(p, path)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; more(p); i++) {
            String s = text(p, path + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private String text(JsonParser p, String path) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(path, "expected a string, found " + t);
            p.skipChildren();
        }
        return null;
    }

    private Long integer(JsonParser p, String path) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(path, "expected an integer, found " + t);
            p.skipChildren();
        }
        return null;
    }

    private boolean object(JsonParser p, String path) {
        return structure(p, JsonToken.START_OBJECT, path);
    }

    private boolean array(JsonParser p, String path) {
        return structure(p, JsonToken.START_ARRAY, path);
    }

    /** Whether the parser is on {@code start}; otherwise the value is skipped (a problem unless it is null). */
    private boolean structure(JsonParser p, JsonToken start, String path) {
        JsonToken t = p.currentToken();
        if (t == start) {
            return true;
        }
        if (t != JsonToken.VALUE_NULL) {
            problem(path, "expected " + (start == JsonToken.START_OBJECT ? "an object" : "an array") + ", found " + t);
        }
        p.skipChildren();
        return false;
    }

    /** Advances to the next element of an array; false at its end. */
    private static boolean more(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IllegalArgumentException("truncated pod JSON");
        }
        return t != JsonToken.END_ARRAY;
    }

    private void problem(String path, String what) {
        if (invalid == null) {
            invalid = path + ": " + what;
        }
    }

    private static String quoted(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
