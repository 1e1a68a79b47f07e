package io.qshard.core.plugins.podtopologyspread;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.snapshot.PodGroup;
import io.qshard.core.snapshot.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What PreScore computes for the pod's ScheduleAnyway constraints (kube-scheduler 1.20's {@code preScoreState}): per
 * constraint the normalising weight {@code ln(size + 2)} and the matching pods per domain (per node for hostname).
 * Immutable.
 */
final class PreScoreState {
    /** Raw score of a node that lacks a constraint key (kube-scheduler's ignored nodes); normalised to 0. */
    static final long IGNORED = -1;

    /**
     * One constraint, ready for Score.
     *
     * @param key          topology key
     * @param hostname     the key is {@code kubernetes.io/hostname}: {@code counts} is per node name
     * @param maxSkewLess1 maxSkew − 1
     * @param weight       ln(number of domains among the scored nodes + 2)
     * @param counts       domain value (node name for hostname) → matching pods (&gt; 0 only)
     */
    private record Soft(String key, boolean hostname, int maxSkewLess1, double weight, Map<String, Integer> counts) {}

    private final Soft[] soft;

    private PreScoreState(Soft[] soft) {
        this.soft = soft;
    }

    /**
     * Weighs and counts {@code constraints} (all ScheduleAnyway, non-empty) for the scored nodes
     * {@code feasible[0..count)}. A scored node lacking any constraint key is ignored (scores 0, as in 1.20 up to
     * 1.20.13). Domain sizes are taken over the other scored nodes; domain counts over every node of the cluster that
     * is eligible (node affinity, all keys, taints when honoured) — not only the scored ones.
     */
    static PreScoreState compute(
            PodRequest pod,
            List<TopologySpreadConstraint> constraints,
            Topology topology,
            NodeState[] feasible,
            int count) {
        List<String> keys = PreFilterState.keys(constraints);
        // one pass over the scored nodes: those lacking a key are ignored; the others' distinct values per key
        // (not for hostname, whose domains are the scored nodes themselves)
        List<Set<String>> values = new ArrayList<>(keys.size());
        for (String key : keys) {
            values.add(key.equals(TopologySpreadConstraint.HOSTNAME_KEY) ? null : new HashSet<>());
        }
        int ignored = 0;
        for (int k = 0; k < count; k++) {
            Map<String, String> labels = feasible[k].node().labels();
            if (hasAll(labels, keys)) {
                for (int i = 0; i < keys.size(); i++) {
                    if (values.get(i) != null) {
                        values.get(i).add(labels.get(keys.get(i)));
                    }
                }
            } else {
                ignored++;
            }
        }
        ClusterNodes nodes = topology.nodes();
        Soft[] soft = new Soft[constraints.size()];
        for (int i = 0; i < soft.length; i++) {
            TopologySpreadConstraint c = constraints.get(i);
            boolean hostname = c.topologyKey().equals(TopologySpreadConstraint.HOSTNAME_KEY);
            int size = hostname ? count - ignored : values.get(i).size();
            EligibleDomains domains = hostname ? null : EligibleDomains.of(nodes, pod, c, keys);
            Map<String, Integer> counts = new HashMap<>();
            for (int id : topology.matching(pod.namespace(), c.selector())) {
                PodGroup g = topology.group(id);
                if (g.terminating()) {
                    continue;
                }
                g.forEachNode((node, pods) -> {
                    // hostname: pods on the scored node itself; otherwise pods on eligible nodes, by domain
                    String at = hostname ? node : domains.valueOf(node);
                    if (at != null) {
                        counts.merge(at, pods, Integer::sum);
                    }
                });
            }
            soft[i] = new Soft(
                    c.topologyKey(),
                    hostname,
                    c.maxSkew() - 1,
                    StrictMath.log(size + 2.0),
                    Collections.unmodifiableMap(counts));
        }
        return new PreScoreState(soft);
    }

    private static boolean hasAll(Map<String, String> labels, List<String> keys) {
        for (String key : keys) {
            if (!labels.containsKey(key)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Raw score: Σ over constraints of {@code count × weight + (maxSkew − 1)} as a double, truncated to long (1.20's
     * {@code int64(score)}); {@link #IGNORED} for a node lacking a key.
     */
    long score(NodeState node) {
        Map<String, String> labels = node.node().labels();
        double score = 0;
        for (Soft s : soft) {
            String value = labels.get(s.key());
            if (value == null) {
                return IGNORED;
            }
            Integer n = s.counts().get(s.hostname() ? node.name() : value);
            score += (n == null ? 0 : n) * s.weight() + s.maxSkewLess1();
        }
        return (long) score;
    }
}
