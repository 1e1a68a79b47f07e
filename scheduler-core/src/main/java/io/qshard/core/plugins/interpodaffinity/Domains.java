package io.qshard.core.plugins.interpodaffinity;

import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.PodGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of topology domains, (topologyKey, value) pairs — kube-scheduler's {@code topologyToMatchedTermCount} reduced
 * to the pairs whose count is positive (PreFilter only ever adds). Immutable once built; lookups allocate nothing.
 */
final class Domains {
    static final Domains NONE = new Builder().build();

    private final String[] keys;
    /** Per key, the sets whose union is its domain values (shared, read-only; a set may hold a NUL placeholder). */
    private final Set<String>[][] values;

    private Domains(String[] keys, Set<String>[][] values) {
        this.keys = keys;
        this.values = values;
    }

    boolean isEmpty() {
        return keys.length == 0;
    }

    /** Whether (key, value) is a domain of this set. */
    boolean contains(String key, String value) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return in(values[i], value);
            }
        }
        return false;
    }

    /** Whether a node with {@code labels} lies in one of these domains (any label pair is in the set). */
    boolean hits(Map<String, String> labels) {
        for (int i = 0; i < keys.length; i++) {
            String v = labels.get(keys[i]);
            if (v != null && in(values[i], v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean in(Set<String>[] sets, String value) {
        for (Set<String> s : sets) {
            if (s.contains(value)) {
                return true;
            }
        }
        return false;
    }

    /** Collects domains; not thread-safe. */
    static final class Builder {
        private final Map<String, List<Set<String>>> byKey = new LinkedHashMap<>();

        /**
         * Adds the {@code key} domain of every node holding a pod of {@code group}; nodes unknown to the cluster and
         * nodes without the label are skipped, as kube-scheduler sees only its nodes and their labels. The group's
         * values are shared, not copied ({@link ClusterNodes#domainCounts} is memoised per group; its placeholder for
         * nodes without the label can never equal a label value).
         */
        void addNodesOf(PodGroup group, String key, ClusterNodes nodes) {
            Map<String, Integer> counts = nodes.domainCounts(group, key);
            if (counts.size() > (counts.containsKey(ClusterNodes.MISSING) ? 1 : 0)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(counts.keySet());
            }
        }

        boolean isEmpty() {
            return byKey.isEmpty();
        }

        @SuppressWarnings("unchecked")
        Domains build() {
            Set<String>[][] values = new Set[byKey.size()][];
            int i = 0;
            for (List<Set<String>> sets : byKey.values()) {
                values[i++] = sets.toArray(new Set[0]);
            }
            return new Domains(byKey.keySet().toArray(new String[0]), values);
        }
    }
}
