package io.qshard.core.volume;

import java.util.Map;
import java.util.Objects;

/**
 * The attach limits a node's CSINode reports: per CSI driver, {@code spec.drivers[].allocatable.count} — only the
 * drivers that report one. Immutable.
 *
 * @param node   the node (the CSINode's name)
 * @param limits driver name → volumes of that driver the node can have attached, ≥ 0
 */
public record CsiNodeLimits(String node, Map<String, Integer> limits) {
    public CsiNodeLimits {
        Objects.requireNonNull(node, "node");
        limits = Map.copyOf(limits);
        limits.forEach((driver, count) -> {
            if (count < 0) {
                throw new IllegalArgumentException("CSINode " + node + " driver " + driver + ": count must be ≥ 0");
            }
        });
    }
}
