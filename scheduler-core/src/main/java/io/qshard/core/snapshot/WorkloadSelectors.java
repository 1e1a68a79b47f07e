package io.qshard.core.snapshot;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.NodeSelectorRequirement;
import io.qshard.core.model.PodRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The selectors kube-scheduler 1.20 builds a pod's default spread constraints from ({@code helper.DefaultSelector}):
 * every Service, ReplicationController, ReplicaSet and StatefulSet of the pod's namespace whose selector selects the
 * pod. Immutable and thread-safe; changes rarely (copied on write); the result per pod shape is memoised.
 */
final class WorkloadSelectors {
    static final WorkloadSelectors EMPTY = new WorkloadSelectors(Map.of(), Map.of());
    private static final int MEMO_LIMIT = 4096;

    /** namespace → controller uid → its {@code spec.selector}. */
    private final Map<String, Map<String, LabelSelector>> controllers;
    /** namespace → Service {@code namespace/name} → its {@code spec.selector} (non-empty). */
    private final Map<String, Map<String, Map<String, String>>> services;

    private final ConcurrentHashMap<Shape, LabelSelector> memo = new ConcurrentHashMap<>();

    private record Shape(String namespace, Map<String, String> labels) {}

    private WorkloadSelectors(
            Map<String, Map<String, LabelSelector>> controllers,
            Map<String, Map<String, Map<String, String>>> services) {
        this.controllers = controllers;
        this.services = services;
    }

    /**
     * The conjunction of the selectors that select {@code pod}: Services' (their {@code spec.selector} maps merged) and
     * controllers' (a selector that is absent or empty selects nothing, as in kube-scheduler's listers);
     * {@link LabelSelector#NOTHING} when none does.
     */
    LabelSelector defaultSelector(PodRequest pod) {
        if (pod.labels().isEmpty() // kube-scheduler's listers find no controller or Service for a pod without labels
                || controllers.get(pod.namespace()) == null && services.get(pod.namespace()) == null) {
            return LabelSelector.NOTHING;
        }
        Shape shape = new Shape(pod.namespace(), pod.labels());
        LabelSelector hit = memo.get(shape);
        if (hit == null) {
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            hit = compute(shape);
            memo.put(shape, hit);
        }
        return hit;
    }

    private LabelSelector compute(Shape pod) {
        Map<String, String> merged = new HashMap<>();
        for (Map<String, String> s :
                services.getOrDefault(pod.namespace(), Map.of()).values()) {
            if (LabelSelector.of(s, List.of()).matches(pod.labels())) {
                merged.putAll(s);
            }
        }
        List<NodeSelectorRequirement> more = new ArrayList<>();
        for (LabelSelector c :
                controllers.getOrDefault(pod.namespace(), Map.of()).values()) {
            if (c.none() || c.equals(LabelSelector.EVERYTHING) || !c.matches(pod.labels())) {
                continue;
            }
            c.matchLabels()
                    .forEach((k, v) ->
                            more.add(new NodeSelectorRequirement(k, NodeSelectorRequirement.Operator.IN, List.of(v))));
            more.addAll(c.matchExpressions());
        }
        return merged.isEmpty() && more.isEmpty() ? LabelSelector.NOTHING : LabelSelector.of(merged, more);
    }

    WorkloadSelectors withController(String namespace, String uid, LabelSelector selector) {
        return new WorkloadSelectors(put(controllers, namespace, uid, selector), services);
    }

    WorkloadSelectors withService(String namespace, String key, Map<String, String> selector) {
        return new WorkloadSelectors(
                controllers,
                put(services, namespace, key, selector == null || selector.isEmpty() ? null : Map.copyOf(selector)));
    }

    /** {@code map} with {@code map[namespace][key] = value}, or that entry removed when {@code value} is null. */
    private static <V> Map<String, Map<String, V>> put(
            Map<String, Map<String, V>> map, String namespace, String key, V value) {
        Map<String, Map<String, V>> out = new HashMap<>(map);
        Map<String, V> ns = new HashMap<>(out.getOrDefault(namespace, Map.of()));
        if (value == null) {
            ns.remove(key);
        } else {
            ns.put(key, value);
        }
        if (ns.isEmpty()) {
            out.remove(namespace);
        } else {
            out.put(namespace, Map.copyOf(ns));
        }
        return Map.copyOf(out);
    }
}
