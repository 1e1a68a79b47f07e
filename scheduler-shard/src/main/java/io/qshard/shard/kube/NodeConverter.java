package io.qshard.shard.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import io.qshard.core.model.Node;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.Resources;
import io.qshard.core.model.Taint;

/**
 * API Node → core {@link Node}: labels, taints, unschedulable, and allocatable (status.allocatable, or
 * capacity when a node reports none). Real allocatable divides native cpu/memory by the oversale ratios in
 * the node's annotations (DESIGN.md, "Oversale webhook"); ratios outside [1, 10] are ignored. Stateless.
 */
public final class NodeConverter {
    /** Annotation holding the cpu oversale ratio the webhook applied. */
    public static final String CPU_RATIO = "qshard.io/cpu-oversale-ratio";
    /** Annotation holding the memory oversale ratio the webhook applied. */
    public static final String MEMORY_RATIO = "qshard.io/memory-oversale-ratio";

    private NodeConverter() {
    }

    /** @throws ConversionException naming the node and the bad field */
    public static Node convert(io.fabric8.kubernetes.api.model.Node api) {
        String name = api.getMetadata().getName();
        try {
            Map<String, Quantity> alloc = api.getStatus() == null ? null : api.getStatus().getAllocatable();
            if (alloc == null || alloc.isEmpty()) {
                alloc = api.getStatus() == null ? Map.of() : api.getStatus().getCapacity();
            }
            if (alloc == null) {
                alloc = Map.of();
            }
            Resources reported = new Resources(
                    Quantities.milli(alloc.get(ResourceNames.CPU)), Quantities.value(alloc.get(ResourceNames.MEMORY)),
                    alloc.containsKey(ResourceNames.PODS) ? Quantities.value(alloc.get(ResourceNames.PODS)) : 110,
                    Quantities.value(alloc.get(ResourceNames.BATCH_CPU)), Quantities.value(alloc.get(ResourceNames.BATCH_MEMORY)));
            Map<String, String> annotations = api.getMetadata().getAnnotations();
            double cpuRatio = ratio(annotations, CPU_RATIO);
            double memRatio = ratio(annotations, MEMORY_RATIO);
            Resources real = new Resources((long) (reported.milliCpu() / cpuRatio), (long) (reported.memoryBytes() / memRatio),
                    reported.pods(), reported.batchMilliCpu(), reported.batchMemoryBytes());
            List<Taint> taints = new ArrayList<>();
            if (api.getSpec() != null && api.getSpec().getTaints() != null) {
                for (io.fabric8.kubernetes.api.model.Taint t : api.getSpec().getTaints()) {
                    taints.add(new Taint(t.getKey(), t.getValue(), Taint.Effect.fromApi(t.getEffect())));
                }
            }
            boolean unschedulable = api.getSpec() != null && Boolean.TRUE.equals(api.getSpec().getUnschedulable());
            Map<String, String> labels = api.getMetadata().getLabels() == null ? Map.of() : api.getMetadata().getLabels();
            return new Node(name, labels, taints, reported, real, unschedulable);
        } catch (RuntimeException e) {
            throw new ConversionException("node " + name + ": " + e.getMessage(), e);
        }
    }

    private static double ratio(Map<String, String> annotations, String key) {
        if (annotations == null || !annotations.containsKey(key)) {
            return 1.0;
        }
        try {
            double r = Double.parseDouble(annotations.get(key));
            return r >= 1.0 && r <= 10.0 ? r : 1.0;
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }
}
