package io.qshard.core.plugins.interpodaffinity;

import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.PodGroup;
import io.qshard.core.snapshot.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@link InterPodAffinity}'s PreScore computes for one pod and its Score reads per node: a signed weight per
 * topology domain (kube-scheduler 1.20 {@code preScoreState.topologyScore}, {@code interpodaffinity/scoring.go}).
 * Immutable.
 */
final class ScoreState {
    private final String[] keys;
    private final List<Map<String, Long>> byValue;

    private ScoreState(String[] keys, List<Map<String, Long>> byValue) {
        this.keys = keys;
        this.byValue = byValue;
    }

    /**
     * PreScore, 1.20 {@code processExistingPod} summed over the pods it visits: the pod's preferred affinity (+weight)
     * and anti-affinity (−weight) terms over every pod they select; then, for pods with (anti-)affinity terms, their
     * required affinity terms selecting the pod (+{@code hardWeight}, when > 0), preferred affinity (+weight) and
     * preferred anti-affinity (−weight) terms selecting it. Each matching pod adds its weight to its node's domain of
     * the term's key; a group's pods count once per pod. Pods on unknown or unlabelled nodes add nothing.
     *
     * @return the state, or null when every domain sums to 0 (then every node scores 0, as 1.20 does)
     */
    static ScoreState compute(PodRequest pod, Topology topology, int hardWeight) {
        Function<String, Map<String, String>> nsLabels = topology::namespaceLabels;
        ClusterNodes nodes = topology.nodes();
        Map<String, Map<String, Long>> acc = new LinkedHashMap<>();
        PodAffinity own = pod.podAffinity();
        for (PodAffinity.Weighted w : own.preferred()) {
            for (int id : topology.matching(w.term())) {
                add(acc, topology.group(id), w.term().topologyKey(), w.weight(), nodes);
            }
        }
        for (PodAffinity.Weighted w : own.preferredAnti()) {
            for (int id : topology.matching(w.term())) {
                add(acc, topology.group(id), w.term().topologyKey(), -w.weight(), nodes);
            }
        }
        if (topology.hasAffinityPods()) {
            for (int id : topology.affinityGroups()) {
                PodGroup g = topology.group(id);
                if (g.total() == 0) {
                    continue;
                }
                PodAffinity theirs = g.affinity();
                if (hardWeight > 0) {
                    for (PodAffinityTerm t : theirs.required()) {
                        if (t.matches(pod.namespace(), pod.labels(), nsLabels)) {
                            add(acc, g, t.topologyKey(), hardWeight, nodes);
                        }
                    }
                }
                for (PodAffinity.Weighted w : theirs.preferred()) {
                    if (w.term().matches(pod.namespace(), pod.labels(), nsLabels)) {
                        add(acc, g, w.term().topologyKey(), w.weight(), nodes);
                    }
                }
                for (PodAffinity.Weighted w : theirs.preferredAnti()) {
                    if (w.term().matches(pod.namespace(), pod.labels(), nsLabels)) {
                        add(acc, g, w.term().topologyKey(), -w.weight(), nodes);
                    }
                }
            }
        }
        List<String> keys = new ArrayList<>();
        List<Map<String, Long>> values = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : acc.entrySet()) {
            Map<String, Long> nonZero = new HashMap<>();
            e.getValue().forEach((v, s) -> {
                if (s != 0) {
                    nonZero.put(v, s);
                }
            });
            if (!nonZero.isEmpty()) {
                keys.add(e.getKey());
                values.add(Map.copyOf(nonZero));
            }
        }
        return keys.isEmpty() ? null : new ScoreState(keys.toArray(new String[0]), List.copyOf(values));
    }

    private static void add(
            Map<String, Map<String, Long>> acc, PodGroup g, String key, long weight, ClusterNodes nodes) {
        nodes.domainCounts(g, key).forEach((v, count) -> { // memoised per group
            if (!v.equals(ClusterNodes.MISSING)) {
                acc.computeIfAbsent(key, k -> new HashMap<>()).merge(v, weight * count, Long::sum);
            }
        });
    }

    /** 1.20 {@code Score}: the sum, over the keys the node has, of its domain's weight. */
    long score(Map<String, String> labels) {
        long score = 0;
        for (int i = 0; i < keys.length; i++) {
            String v = labels.get(keys[i]);
            if (v != null) {
                Long s = byValue.get(i).get(v);
                if (s != null) {
                    score += s;
                }
            }
        }
        return score;
    }
}
