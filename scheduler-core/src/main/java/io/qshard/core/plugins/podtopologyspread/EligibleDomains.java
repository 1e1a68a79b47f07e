package io.qshard.core.plugins.podtopologyspread;

import io.qshard.core.model.NodeAffinity;
import io.qshard.core.model.NodeSelectorTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.model.Toleration;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.snapshot.ClusterNodes;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of the whole cluster that are domains of one spread constraint for pods of one shape, and their topology
 * values: nodes that carry every key of the pod's constraints (of the same kind), match the pod's {@code nodeSelector}
 * and required node affinity when {@code nodeAffinityPolicy} is Honor, and have no NoSchedule/NoExecute taint the pod
 * does not tolerate when {@code nodeTaintsPolicy} is Honor. Computed once per {@link ClusterNodes} instance and pod
 * shape ({@link ClusterNodes#memo}), so a decision does not walk every node. Immutable and thread-safe.
 */
final class EligibleDomains {
    /** What the result depends on besides the nodes; a null field is a policy that is Ignore. */
    private record Key(
            Map<String, String> nodeSelector,
            List<NodeSelectorTerm> required,
            List<Toleration> tolerations,
            List<String> keys,
            String key) {}

    /** Eligible node name → its value of the constraint's key. */
    private final Map<String, String> nodeValue;
    /** The distinct values of {@link #nodeValue}: the eligible domains. */
    private final Set<String> values;

    private EligibleDomains(Map<String, String> nodeValue, Set<String> values) {
        this.nodeValue = Collections.unmodifiableMap(nodeValue);
        this.values = Collections.unmodifiableSet(values);
    }

    /**
     * The eligible domains of {@code c} for {@code pod}, memoised on {@code nodes}.
     *
     * @param keys the topology keys of every constraint the pod is checked against together with {@code c}: a node
     *             missing any of them is no domain of any of them
     */
    static EligibleDomains of(ClusterNodes nodes, PodRequest pod, TopologySpreadConstraint c, List<String> keys) {
        Key k = new Key(
                c.honorNodeAffinity() ? pod.nodeSelector() : null,
                c.honorNodeAffinity() ? pod.affinity().required() : null,
                c.honorNodeTaints() ? pod.tolerations() : null,
                keys,
                c.topologyKey());
        return nodes.memo(k, n -> compute(n, k));
    }

    private static EligibleDomains compute(ClusterNodes nodes, Key k) {
        Map<String, String> nodeValue = new HashMap<>();
        Set<String> values = new HashSet<>();
        NodeAffinity required = k.required() == null ? null : new NodeAffinity(k.required(), List.of());
        nodes.forEach(node -> {
            Map<String, String> labels = node.labels();
            for (String key : k.keys()) {
                if (!labels.containsKey(key)) {
                    return;
                }
            }
            if (k.nodeSelector() != null && !selectorMatches(k.nodeSelector(), labels)) {
                return;
            }
            if (required != null && !required.requiredMatches(node.name(), labels)) {
                return;
            }
            if (k.tolerations() != null && !toleratesAll(node.taints(), k.tolerations())) {
                return;
            }
            String value = labels.get(k.key());
            nodeValue.put(node.name(), value);
            values.add(value);
        });
        return new EligibleDomains(nodeValue, values);
    }

    private static boolean selectorMatches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** No NoSchedule/NoExecute taint left untolerated (kube-scheduler's {@code DoNotScheduleTaintsFilterFunc}). */
    private static boolean toleratesAll(List<Taint> taints, List<Toleration> tolerations) {
        for (Taint t : taints) {
            if (t.effect() == Taint.Effect.PREFER_NO_SCHEDULE) {
                continue;
            }
            boolean tolerated = false;
            for (Toleration tol : tolerations) {
                if (tol.tolerates(t)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                return false;
            }
        }
        return true;
    }

    /** The domain (topology value) of an eligible node, or null when the node is not eligible or unknown. */
    String valueOf(String node) {
        return nodeValue.get(node);
    }

    /** Whether {@code value} is the value of some eligible node. */
    boolean isDomain(String value) {
        return values.contains(value);
    }

    /** Number of eligible domains. */
    int size() {
        return values.size();
    }
}
