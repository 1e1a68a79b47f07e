package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Quantity;
import io.qshard.core.model.Node;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.model.Taint;
import io.qshard.kube.api.OversaleRatio;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * API Node → core {@link Node}: labels, taints, unschedulable, allocatable (status.allocatable, or capacity when a
 * node reports none; every {@link ResourceNames#isScalar scalar} resource too — ephemeral-storage, hugepages-*,
 * extended resources, attach limits), and {@code status.images} as {@link Node#images()}: every name of every image →
 * its size, names as the kubelet reports them (kube-scheduler 1.20 keys its image states by the reported names and
 * normalises only the pod's image, {@code normalizedImageName}), interned across nodes. Real allocatable divides native cpu/memory by the oversale ratios the webhook
 * <em>applied</em> to the allocatable the object holds ({@value OversaleRatio#APPLIED_ANNOTATION}, docs/architecture.md
 * "Oversale webhook") — not by the ratio annotations the controller sets, which the node's next status write
 * applies: dividing by a freshly lowered ratio would overstate the real capacity prod is placed against — and only
 * while allocatable is the value the webhook recorded with them ({@value OversaleRatio#SCALED_ANNOTATION}; a write
 * it did not review stored the real one), to the nearest unit ({@link OversaleRatio#real}). No applied annotation (no
 * webhook, or it was down): allocatable is the real one. Stateless.
 */
public final class NodeConverter {
    /** Annotation with the cpu oversale ratio the controller wants (the webhook applies it). */
    public static final String CPU_RATIO = OversaleRatio.CPU_ANNOTATION;
    /** Annotation with the memory oversale ratio the controller wants. */
    public static final String MEMORY_RATIO = OversaleRatio.MEMORY_ANNOTATION;

    /**
     * The largest allocatable figure taken (milli-cores for cpu, base units for the rest): 2^53, as for usage
     * reports. A node reporting more is refused at conversion (the caller keeps it {@link #fenced}: nothing is placed
     * on it), so no sum of pods' requests on a node can overflow.
     */
    public static final long MAX_FIGURE = 1L << 53;

    /** Pods a node may hold when its allocatable lists cpu or memory but not {@code pods}. */
    public static final long DEFAULT_PODS = 110;

    /** Image names, sizes and whole image maps, shared by the nodes that report them (a kubelet reports ≤ 50 images). */
    private static final Interner<String> IMAGE_NAMES = new Interner<>(200_000);

    private static final Interner<Long> IMAGE_SIZES = new Interner<>(200_000);
    private static final Interner<Map<String, Long>> IMAGE_MAPS = new Interner<>(20_000);

    private NodeConverter() {}

    /** @throws ConversionException naming the node and the bad field */
    public static Node convert(io.fabric8.kubernetes.api.model.Node api) {
        String name = api.getMetadata().getName();
        try {
            Map<String, Quantity> alloc =
                    api.getStatus() == null ? null : api.getStatus().getAllocatable();
            String field = "status.allocatable.";
            if (alloc == null || alloc.isEmpty()) {
                alloc = api.getStatus() == null ? Map.of() : api.getStatus().getCapacity();
                field = "status.capacity.";
            }
            boolean none = alloc == null || alloc.isEmpty();
            if (alloc == null) {
                alloc = Map.of();
            }
            for (Map.Entry<String, Quantity> e : alloc.entrySet()) {
                long v = ResourceNames.CPU.equals(e.getKey())
                        ? Quantities.milli(e.getValue())
                        : Quantities.value(e.getValue());
                if (v > MAX_FIGURE) {
                    throw new ConversionException("node " + name + ": " + field + e.getKey() + " = "
                            + e.getValue() + " is beyond the sane bound 2^53 ("
                            + (ResourceNames.CPU.equals(e.getKey()) ? "milli-cores" : "base units")
                            + "); the node is left out until it reports sane figures");
                }
            }
            ScalarResources scalars = scalars(alloc);
            Resources reported = new Resources(
                    Quantities.milli(alloc.get(ResourceNames.CPU)),
                    Quantities.value(alloc.get(ResourceNames.MEMORY)),
                    alloc.containsKey(ResourceNames.PODS)
                            ? Quantities.value(alloc.get(ResourceNames.PODS))
                            : none ? 0 : DEFAULT_PODS,
                    Quantities.value(alloc.get(ResourceNames.BATCH_CPU)),
                    Quantities.value(alloc.get(ResourceNames.BATCH_MEMORY)),
                    scalars);
            Map<String, String> annotations = api.getMetadata().getAnnotations();
            double[] applied = OversaleRatio.applied(
                    annotations == null ? null : annotations.get(OversaleRatio.APPLIED_ANNOTATION));
            long[] recorded =
                    OversaleRatio.scaled(annotations == null ? null : annotations.get(OversaleRatio.SCALED_ANNOTATION));
            Resources real = new Resources(
                    OversaleRatio.real(reported.milliCpu(), applied[0], recorded[0]),
                    OversaleRatio.real(reported.memoryBytes(), applied[1], recorded[1]),
                    reported.pods(),
                    reported.batchMilliCpu(),
                    reported.batchMemoryBytes(),
                    scalars);
            List<Taint> taints = new ArrayList<>();
            if (api.getSpec() != null && api.getSpec().getTaints() != null) {
                for (io.fabric8.kubernetes.api.model.Taint t : api.getSpec().getTaints()) {
                    taints.add(new Taint(t.getKey(), t.getValue(), Taint.Effect.fromApi(t.getEffect())));
                }
            }
            boolean unschedulable =
                    api.getSpec() != null && Boolean.TRUE.equals(api.getSpec().getUnschedulable());
            Map<String, String> labels = api.getMetadata().getLabels() == null
                    ? Map.of()
                    : api.getMetadata().getLabels();
            Map<String, String> kept = new java.util.HashMap<>();
            if (annotations != null) {
                annotations.forEach((k, v) -> {
                    if (k.startsWith(Node.ANNOTATION_PREFIX) && v != null) {
                        kept.put(k, v);
                    }
                });
            }
            return new Node(name, labels, taints, reported, real, unschedulable, kept, images(api));
        } catch (RuntimeException e) {
            throw new ConversionException("node " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the schedulers keep of a node {@link #convert} refused: its name, labels and taints (so the pods on it still
     * count for affinity and spread, and its shard keeps it), no room at all ({@link Resources#ZERO}: not even a pod
     * without requests fits) and cordoned. Never throws: taints it cannot read are left out (the node takes nothing
     * anyway).
     */
    public static Node fenced(io.fabric8.kubernetes.api.model.Node api) {
        Map<String, String> labels = api.getMetadata().getLabels() == null
                ? Map.of()
                : api.getMetadata().getLabels();
        List<Taint> taints = new ArrayList<>();
        try {
            if (api.getSpec() != null && api.getSpec().getTaints() != null) {
                for (io.fabric8.kubernetes.api.model.Taint t : api.getSpec().getTaints()) {
                    taints.add(new Taint(t.getKey(), t.getValue(), Taint.Effect.fromApi(t.getEffect())));
                }
            }
        } catch (RuntimeException e) {
            taints.clear();
        }
        return new Node(api.getMetadata().getName(), labels, taints, Resources.ZERO, Resources.ZERO, true);
    }

    /** The scalar resources of an allocatable list (the batch pair has fields of its own). */
    private static ScalarResources scalars(Map<String, Quantity> alloc) {
        Map<String, Long> out = null;
        for (Map.Entry<String, Quantity> e : alloc.entrySet()) {
            String r = e.getKey();
            if (ResourceNames.isScalar(r)
                    && !r.equals(ResourceNames.BATCH_CPU)
                    && !r.equals(ResourceNames.BATCH_MEMORY)) {
                if (out == null) {
                    out = new HashMap<>();
                }
                out.put(r, Quantities.value(e.getValue()));
            }
        }
        return out == null ? ScalarResources.EMPTY : ScalarResources.of(out);
    }

    /** {@code status.images}: each reported name → the image's size in bytes (names without a size are skipped). */
    private static Map<String, Long> images(io.fabric8.kubernetes.api.model.Node api) {
        List<ContainerImage> images =
                api.getStatus() == null ? null : api.getStatus().getImages();
        if (images == null || images.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> out = new HashMap<>();
        for (ContainerImage image : images) {
            if (image.getNames() == null || image.getSizeBytes() == null) {
                continue;
            }
            Long size = IMAGE_SIZES.intern(image.getSizeBytes());
            for (String n : image.getNames()) {
                if (n != null) {
                    out.putIfAbsent(IMAGE_NAMES.intern(n), size);
                }
            }
        }
        return IMAGE_MAPS.intern(Map.copyOf(out));
    }
}
