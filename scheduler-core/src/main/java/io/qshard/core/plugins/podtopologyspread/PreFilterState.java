package io.qshard.core.plugins.podtopologyspread;

import io.qshard.core.framework.CandidateNodes;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.snapshot.ClusterNodes;
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
 * What PreFilter computes for the pod's DoNotSchedule constraints (kube-scheduler's {@code preFilterState}): per
 * constraint the matching pods counted per eligible domain and the global minimum. Immutable; {@link #filter} is
 * allocation-free.
 */
final class PreFilterState {
    /**
     * One constraint, ready for Filter.
     *
     * @param key     topology key
     * @param maxSkew the constraint's maxSkew
     * @param self    1 when the constraint's selector matches the pod's own labels, else 0
     * @param min     the global minimum: the least count over the eligible domains, 0 when fewer domains than
     *                minDomains
     * @param counts  domain value → matching pods (&gt; 0 only; an eligible domain without pods is absent)
     */
    private record Hard(String key, int maxSkew, int self, int min, Map<String, Integer> counts) {}

    private final Hard[] hard;
    private final ClusterNodes nodes;

    private PreFilterState(Hard[] hard, ClusterNodes nodes) {
        this.hard = hard;
        this.nodes = nodes;
    }

    /** Counts the pods {@code constraints} (all DoNotSchedule, non-empty) select, on {@code topology}. */
    static PreFilterState compute(PodRequest pod, List<TopologySpreadConstraint> constraints, Topology topology) {
        ClusterNodes nodes = topology.nodes();
        List<String> keys = keys(constraints);
        Hard[] hard = new Hard[constraints.size()];
        for (int i = 0; i < hard.length; i++) {
            TopologySpreadConstraint c = constraints.get(i);
            EligibleDomains domains = EligibleDomains.of(nodes, pod, c, keys);
            boolean legacy = legacy(c);
            Map<String, Integer> counts = new HashMap<>();
            for (int id : topology.matching(pod.namespace(), c.selector())) {
                PodGroup g = topology.group(id);
                if (g.terminating()) { // kube-scheduler skips pods with a deletionTimestamp (#87621)
                    continue;
                }
                if (legacy) { // by label value, memoised per group: the nodes' values are looked up once per group
                    nodes.domainCounts(g, c.topologyKey()).forEach((v, pods) -> {
                        String value = v.equals(ClusterNodes.MISSING) ? "" : v; // Go's map lookup reads ""
                        if (domains.isDomain(value)) {
                            counts.merge(value, pods, Integer::sum);
                        }
                    });
                } else {
                    g.forEachNode((node, pods) -> {
                        String value = domains.valueOf(node);
                        if (value != null) {
                            counts.merge(value, pods, Integer::sum);
                        }
                    });
                }
            }
            int min = 0; // fewer domains than minDomains, or a domain without matching pods
            if (domains.size() >= c.minDomains() && counts.size() == domains.size()) {
                min = Integer.MAX_VALUE;
                for (int n : counts.values()) {
                    min = Math.min(min, n);
                }
            }
            int self = c.selector().matches(pod.labels()) ? 1 : 0;
            hard[i] = new Hard(c.topologyKey(), c.maxSkew(), self, min, Collections.unmodifiableMap(counts));
        }
        return new PreFilterState(hard, nodes);
    }

    /** Whether {@code c} uses none of the fields kube-scheduler 1.20 lacks. */
    static boolean legacy(TopologySpreadConstraint c) {
        return c.minDomains() == 1 && c.honorNodeAffinity() && !c.honorNodeTaints();
    }

    /** The topology keys of {@code constraints}, in order. */
    static List<String> keys(List<TopologySpreadConstraint> constraints) {
        List<String> keys = new ArrayList<>(constraints.size());
        for (TopologySpreadConstraint c : constraints) {
            keys.add(c.topologyKey());
        }
        return List.copyOf(keys);
    }

    /**
     * The nodes of the cluster whose value of one constraint's key is a domain where the pod would not exceed its
     * maxSkew — a superset of the nodes {@link #filter} passes (a domain without eligible nodes counts 0, as Filter
     * reads it) — taking the constraint that leaves the fewest; null when that is more than half of the cluster.
     */
    CandidateNodes candidates() {
        CandidateNodes best = null;
        int bestSize = nodes.size() / 2;
        for (Hard h : hard) {
            Set<String> allowed = new HashSet<>();
            int size = 0;
            for (Map.Entry<String, List<String>> e : nodes.byValue(h.key()).entrySet()) {
                Integer match = h.counts().get(e.getKey());
                if ((match == null ? 0 : match) + h.self() - h.min() <= h.maxSkew()) {
                    allowed.add(e.getKey());
                    size += e.getValue().size();
                }
            }
            if (size <= bestSize) {
                best = new CandidateNodes(h.key(), allowed, size);
                bestSize = size;
            }
        }
        return best;
    }

    /**
     * Filter: the first constraint (in order) the node violates decides: a missing key is {@code missingLabel}, a
     * skew {@code matchNum + self − min > maxSkew} is {@code skewed}; otherwise {@link Status#SUCCESS}.
     */
    Status filter(Map<String, String> labels, Status missingLabel, Status skewed) {
        for (Hard h : hard) {
            String value = labels.get(h.key());
            if (value == null) {
                return missingLabel;
            }
            Integer match = h.counts().get(value);
            if ((match == null ? 0 : match) + h.self() - h.min() > h.maxSkew()) {
                return skewed;
            }
        }
        return Status.SUCCESS;
    }
}
