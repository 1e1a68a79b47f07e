package io.qshard.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node as the schedulers see it. Immutable.
 *
 * <p>{@code allocatable} is what the node reports (what a kubelet admits against). Where the oversale
 * webhook runs, its native cpu/memory are scaled up by the node's oversale ratio; {@code realAllocatable}
 * is reported ÷ ratio, the capacity prod is accounted against (docs/architecture.md, "Tiers and how each sizes its pods").
 * Without oversale both are equal.
 *
 * @param name            node name
 * @param labels          node labels
 * @param taints          node taints
 * @param allocatable     reported allocatable: native cpu/memory, pods, batch extended resources
 * @param realAllocatable allocatable without oversale scaling (≤ allocatable)
 * @param unschedulable   {@code spec.unschedulable} (cordoned)
 * @param annotations     the node's {@code qshard.io/} annotations (oversale ratios and their bookkeeping); no others
 * @param images          {@code status.images}: every name of every image, as the kubelet reports it (kube-scheduler
 *                        1.20 keys image states so and normalises only the pod's image: a name without a tag gets
 *                        {@code :latest}) → its size in bytes
 */
public record Node(
        String name,
        Map<String, String> labels,
        List<Taint> taints,
        Resources allocatable,
        Resources realAllocatable,
        boolean unschedulable,
        Map<String, String> annotations,
        Map<String, Long> images) {
    /** Prefix of the annotations a node record keeps. */
    public static final String ANNOTATION_PREFIX = "qshard.io/";

    public Node {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        Objects.requireNonNull(allocatable, "allocatable");
        Objects.requireNonNull(realAllocatable, "realAllocatable");
        annotations = Map.copyOf(annotations);
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    /** A node without images. */
    public Node(
            String name,
            Map<String, String> labels,
            List<Taint> taints,
            Resources allocatable,
            Resources realAllocatable,
            boolean unschedulable,
            Map<String, String> annotations) {
        this(name, labels, taints, allocatable, realAllocatable, unschedulable, annotations, Map.of());
    }

    /** A node without qshard annotations. */
    public Node(
            String name,
            Map<String, String> labels,
            List<Taint> taints,
            Resources allocatable,
            Resources realAllocatable,
            boolean unschedulable) {
        this(name, labels, taints, allocatable, realAllocatable, unschedulable, Map.of());
    }

    /** A node without oversale: real allocatable = reported allocatable. */
    public static Node of(
            String name, Map<String, String> labels, List<Taint> taints, Resources allocatable, boolean unschedulable) {
        return new Node(name, labels, taints, allocatable, allocatable, unschedulable);
    }
}
