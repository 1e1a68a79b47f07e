package io.qshard.core.plugins.interpodaffinity;

import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.PodGroup;
import java.util.ArrayList;
import java.util.HashSet;
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
    private final List<Set<String>> values;

    private Domains(String[] keys, List<Set<String>> values) {
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
                return values.get(i).contains(value);
            }
        }
        return false;
    }

    /** Whether a node with {@code labels} lies in one of these domains (any label pair is in the set). */
    boolean hits(Map<String, String> labels) {
        for (int i = 0; i < keys.length; i++) {
            String v = labels.get(keys[i]);
            if (v != null && values.get(i).contains(v)) {
                return true;
            }
        }
        return false;
    }

    /** Collects domains; not thread-safe. */
    static final class Builder {
        private final Map<String, Set<String>> byKey = new LinkedHashMap<>();

        /**
         * Adds the {@code key} domain of every node holding a pod of {@code group}; nodes unknown to the cluster and
         * nodes without the label are skipped, as kube-scheduler sees only its nodes and their labels.
         */
        void addNodesOf(PodGroup group, String key, ClusterNodes nodes) {
            for (String v : nodes.domainCounts(group, key).keySet()) { // memoised per group
                if (!v.equals(ClusterNodes.MISSING)) {
                    byKey.computeIfAbsent(key, k -> new HashSet<>()).add(v);
                }
            }
        }

        boolean isEmpty() {
            return byKey.isEmpty();
        }

        Domains build() {
            List<Set<String>> values = new ArrayList<>(byKey.size());
            for (Set<String> v : byKey.values()) {
                values.add(Set.copyOf(v));
            }
            return new Domains(byKey.keySet().toArray(new String[0]), List.copyOf(values));
        }
    }
}
