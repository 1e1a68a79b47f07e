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
 * @param batchCeiling the most batch and free pods of this node may request together from now on (cpu milli-cores,
 *                  memory bytes), or null when the reporter publishes none: the reporter lowers the node's advertised
 *                  {@code qshard.io/batch-*} resources only to a ceiling it has published for a hold-down period
 *                  ({@link io.qshard.core.pool.BatchAdvertiser}), so placements never outrun what the kubelet admits
 */
public record UsageReport(
        String node,
        Instant timestamp,
        Duration window,
        Usage nodeUsage,
        Map<String, Usage> tiers,
        Map<String, Usage> pods,
        Usage batchCeiling) {
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

    /** A report without a batch ceiling. */
    public UsageReport(
            String node,
            Instant timestamp,
            Duration window,
            Usage nodeUsage,
            Map<String, Usage> tiers,
            Map<String, Usage> pods) {
        this(node, timestamp, window, nodeUsage, tiers, pods, null);
    }
}
