package io.qshard.kube.convert;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Label selectors of API objects → core {@link LabelSelector}s: the selectors of ReplicaSets, StatefulSets and
 * ReplicationControllers (the default topology spread constraints) and the requirements of pods' own terms. Stateless
 * and thread-safe.
 */
public final class WorkloadConverter {
    private WorkloadConverter() {}

    /**
     * A {@code metav1.LabelSelector} as kube-scheduler reads it ({@code LabelSelectorAsSelector}): absent →
     * {@link LabelSelector#NOTHING}, empty → {@link LabelSelector#EVERYTHING}.
     *
     * @param what names the object and field in an error, e.g. {@code replicaset shop/web-1 spec.selector}
     * @throws ConversionException on an unknown operator or values that do not fit it
     */
    public static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s, String what) {
        if (s == null) {
            return LabelSelector.NOTHING;
        }
        List<NodeSelectorRequirement> reqs = new ArrayList<>();
        if (s.getMatchExpressions() != null) {
            int i = 0;
            for (var r : s.getMatchExpressions()) {
                try {
                    reqs.add(requirement(r.getKey(), r.getOperator(), r.getValues()));
                } catch (IllegalArgumentException e) {
                    throw new ConversionException(what + ".matchExpressions[" + i + "]: " + e.getMessage(), e);
                }
                i++;
            }
        }
        Map<String, String> labels = new java.util.HashMap<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new ConversionException(what + ".matchLabels: null key or value");
                }
                labels.put(k, v);
            });
        }
        return LabelSelector.of(labels, reqs);
    }

    /**
     * A ReplicationController's map selector: absent → {@link LabelSelector#NOTHING} (it adds nothing to a default
     * selector, as in kube-scheduler), otherwise its entries as {@code matchLabels}.
     */
    public static LabelSelector selector(Map<String, String> matchLabels) {
        if (matchLabels == null) {
            return LabelSelector.NOTHING;
        }
        Map<String, String> copy = new java.util.HashMap<>(matchLabels);
        copy.values().removeIf(java.util.Objects::isNull);
        return LabelSelector.of(copy, List.of());
    }

    /**
     * One label selector requirement (operators In, NotIn, Exists, DoesNotExist — not Gt/Lt, which only node
     * selectors have).
     *
     * @throws IllegalArgumentException naming what is wrong (no path: callers prefix it)
     */
    static NodeSelectorRequirement requirement(String key, String operator, List<String> values) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: required");
        }
        List<String> v = values == null ? List.of() : values;
        NodeSelectorRequirement.Operator op;
        if ("In".equals(operator) || "NotIn".equals(operator)) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("operator " + operator + " needs values");
            }
            op = "In".equals(operator) ? NodeSelectorRequirement.Operator.IN : NodeSelectorRequirement.Operator.NOT_IN;
        } else if ("Exists".equals(operator) || "DoesNotExist".equals(operator)) {
            if (!v.isEmpty()) {
                throw new IllegalArgumentException("operator " + operator + " takes no values");
            }
            op = "Exists".equals(operator)
                    ? NodeSelectorRequirement.Operator.EXISTS
                    : NodeSelectorRequirement.Operator.DOES_NOT_EXIST;
        } else {
            throw new IllegalArgumentException(
                    "operator: unknown '" + operator + "' (In, NotIn, Exists, DoesNotExist)");
        }
        for (String value : v) {
            if (value == null) {
                throw new IllegalArgumentException("values: null entry");
            }
        }
        return new NodeSelectorRequirement(key, op, v);
    }
}
