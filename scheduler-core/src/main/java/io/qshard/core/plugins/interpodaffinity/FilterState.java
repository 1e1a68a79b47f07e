package io.qshard.core.plugins.interpodaffinity;

import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterNodes;
import io.qshard.core.snapshot.PodGroup;
import io.qshard.core.snapshot.Topology;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@link InterPodAffinity}'s PreFilter computes for one pod from the cluster-wide topology and its Filter reads
 * per node (kube-scheduler 1.20 {@code preFilterState}, {@code interpodaffinity/filtering.go}). Immutable.
 */
final class FilterState {
    /** The topology key of each of the pod's required affinity terms, in order. */
    private final String[] affinityKeys;
    /** Domains of the pods that match ALL of the pod's required affinity terms (1.20 counts only those). */
    private final Domains affinity;
    /** No pod anywhere gave {@link #affinity} a domain, and the pod matches all its own required affinity terms. */
    private final boolean firstOfItsKind;
    /** Domains of the pods that match one of the pod's required anti-affinity terms (each term its own key). */
    private final Domains anti;
    /** Domains of existing pods whose required anti-affinity terms match the pod (symmetry). */
    private final Domains existingAnti;

    private FilterState(
            String[] affinityKeys, Domains affinity, boolean firstOfItsKind, Domains anti, Domains existingAnti) {
        this.affinityKeys = affinityKeys;
        this.affinity = affinity;
        this.firstOfItsKind = firstOfItsKind;
        this.anti = anti;
        this.existingAnti = existingAnti;
    }

    /** PreFilter: the three sets of domains for {@code pod}, from every bound and assumed pod on a known node. */
    static FilterState compute(PodRequest pod, Topology topology) {
        Function<String, Map<String, String>> nsLabels = topology::namespaceLabels;
        ClusterNodes nodes = topology.nodes();

        Domains.Builder existing = new Domains.Builder();
        if (topology.hasAffinityPods()) {
            for (int id : topology.affinityGroups()) {
                PodGroup g = topology.group(id);
                if (g.total() == 0) {
                    continue;
                }
                for (PodAffinityTerm term : g.affinity().requiredAnti()) {
                    if (term.matches(pod.namespace(), pod.labels(), nsLabels)) {
                        existing.addNodesOf(g, term.topologyKey(), nodes);
                    }
                }
            }
        }

        List<PodAffinityTerm> required = pod.podAffinity().required();
        Domains.Builder affinity = new Domains.Builder();
        if (!required.isEmpty()) {
            for (int id : topology.matching(required.get(0))) {
                PodGroup g = topology.group(id);
                if (g.total() > 0 && matchesAll(required, g.namespace(), g.labels(), nsLabels)) {
                    for (PodAffinityTerm term : required) {
                        affinity.addNodesOf(g, term.topologyKey(), nodes);
                    }
                }
            }
        }
        boolean first = affinity.isEmpty() && matchesAll(required, pod.namespace(), pod.labels(), nsLabels);

        Domains.Builder anti = new Domains.Builder();
        for (PodAffinityTerm term : pod.podAffinity().requiredAnti()) {
            for (int id : topology.matching(term)) {
                anti.addNodesOf(topology.group(id), term.topologyKey(), nodes);
            }
        }
        String[] keys = required.stream().map(PodAffinityTerm::topologyKey).toArray(String[]::new);
        return new FilterState(keys, affinity.build(), first, anti.build(), existing.build());
    }

    /** 1.20 {@code podMatchesAllAffinityTerms}: false for no terms. */
    private static boolean matchesAll(
            List<PodAffinityTerm> terms,
            String namespace,
            Map<String, String> labels,
            Function<String, Map<String, String>> nsLabels) {
        if (terms.isEmpty()) {
            return false;
        }
        for (PodAffinityTerm t : terms) {
            if (!t.matches(namespace, labels, nsLabels)) {
                return false;
            }
        }
        return true;
    }

    /** Whether Filter would pass every node: no required affinity term and no domain excluded by any rule. */
    boolean passesEverywhere() {
        return affinityKeys.length == 0 && anti.isEmpty() && existingAnti.isEmpty();
    }

    /**
     * 1.20 {@code satisfyPodAffinity}: the node has every term's key (else false, even for the first pod) and each
     * term's domain holds a pod matching all terms — or no such pod exists anywhere and the pod matches its own terms.
     */
    boolean satisfiesAffinity(Map<String, String> labels) {
        boolean podsExist = true;
        for (String key : affinityKeys) {
            String v = labels.get(key);
            if (v == null) {
                return false;
            }
            if (!affinity.contains(key, v)) {
                podsExist = false;
            }
        }
        return podsExist || firstOfItsKind;
    }

    /** 1.20 {@code satisfyPodAntiAffinity}: no term's domain of this node holds a pod the term selects. */
    boolean satisfiesAntiAffinity(Map<String, String> labels) {
        return !anti.hits(labels);
    }

    /** 1.20 {@code satisfyExistingPodsAntiAffinity}: no label pair of the node is a domain an existing pod forbids. */
    boolean satisfiesExistingAntiAffinity(Map<String, String> labels) {
        return !existingAnti.hits(labels);
    }
}
