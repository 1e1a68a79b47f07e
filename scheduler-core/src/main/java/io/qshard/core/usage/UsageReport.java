package io.qshard.core.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One node's usage over one sample window, as a {@code NodeUsage} report carries it (converted at the edge).
 * Immutable.
 *
 * @param node      the node's name
 * @param timestamp end of the sample window
 * @param window    the window's length, &gt; 0
 * @param nodeUsage whole-node usage
 * @param tiers     usage per tier name ({@value UsageView#OTHER} for pods of no tier)
 * @param pods      usage per pod uid
 */
public record UsageReport(String node, Instant timestamp, Duration window, Usage nodeUsage, Map<String, Usage> tiers,
                          Map<String, Usage> pods) {
    /** @throws NullPointerException or IllegalArgumentException for a structurally invalid report */
    public UsageReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(nodeUsage, "nodeUsage");
        tiers = Map.copyOf(tiers);
        pods = Map.copyOf(pods);
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be > 0, was " + window);
        }
    }
}
