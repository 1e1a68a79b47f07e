package io.qshard.kube.convert;

import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageReportCheck;
import io.qshard.kube.api.NodeUsage;
import io.qshard.kube.api.NodeUsageStatus;
import io.qshard.kube.api.PodUsage;
import io.qshard.kube.api.UsageAmount;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code NodeUsage} → {@link UsageReport}, at the edge. The CRD schema already rejects negative amounts and malformed
 * timestamps on write; this converter is the second line (objects written before the schema, or by a cluster without
 * it) and throws {@link ConversionException} naming the field for anything it cannot use, figures beyond
 * {@link UsageReportCheck#MAX_FIGURE} included. Stateless.
 */
public final class NodeUsageConverter {
    private NodeUsageConverter() {}

    /** @throws ConversionException for a report without the required fields or with invalid values */
    public static UsageReport convert(NodeUsage nu) {
        String name = nu.getMetadata() == null ? null : nu.getMetadata().getName();
        String where = "NodeUsage " + name;
        NodeUsageStatus s = nu.getStatus();
        if (name == null || s == null) {
            throw new ConversionException(where + ": no status yet");
        }
        Instant timestamp;
        try {
            timestamp = s.getTimestamp() == null
                    ? null
                    : OffsetDateTime.parse(s.getTimestamp()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConversionException(where + ": status.timestamp '" + s.getTimestamp() + "' is not RFC 3339");
        }
        if (timestamp == null) {
            throw new ConversionException(where + ": status.timestamp is missing");
        }
        if (s.getWindowSeconds() == null || s.getWindowSeconds() <= 0) {
            throw new ConversionException(where + ": status.windowSeconds must be > 0, was " + s.getWindowSeconds());
        }
        Usage node = usage(where, "status.node", s.getNode());
        Map<String, Usage> tiers = new HashMap<>();
        if (s.getTiers() != null) {
            s.getTiers().forEach((tier, u) -> tiers.put(tier, usage(where, "status.tiers." + tier, u)));
        }
        Map<String, Usage> pods = new HashMap<>();
        if (s.getPods() != null) {
            for (PodUsage p : s.getPods()) {
                if (p.getUid() == null || p.getUid().isEmpty()) {
                    throw new ConversionException(where + ": status.pods[] entry without uid");
                }
                pods.put(p.getUid(), usage(where, "status.pods[" + p.getUid() + "]", p));
            }
        }
        Usage ceiling = s.getBatchCeiling() == null ? null : usage(where, "status.batchCeiling", s.getBatchCeiling());
        return new UsageReport(name, timestamp, Duration.ofSeconds(s.getWindowSeconds()), node, tiers, pods, ceiling);
    }

    private static Usage usage(String where, String field, UsageAmount u) {
        if (u == null || u.getCpuMilli() == null || u.getMemoryBytes() == null) {
            throw new ConversionException(where + ": " + field + " needs cpuMilli and memoryBytes");
        }
        if (u.getCpuMilli() < 0 || u.getMemoryBytes() < 0) {
            throw new ConversionException(
                    where + ": " + field + " is negative (" + u.getCpuMilli() + "m, " + u.getMemoryBytes() + " B)");
        }
        if (u.getCpuMilli() > UsageReportCheck.MAX_FIGURE || u.getMemoryBytes() > UsageReportCheck.MAX_FIGURE) {
            String f = u.getCpuMilli() > UsageReportCheck.MAX_FIGURE
                    ? field + ".cpuMilli = " + u.getCpuMilli()
                    : field + ".memoryBytes = " + u.getMemoryBytes();
            throw new ConversionException(
                    where + ": " + f + " is beyond the sane bound 2^53; the report is skipped (the node keeps its"
                            + " previous view, then the conservative one once that is stale)");
        }
        return new Usage(u.getCpuMilli(), u.getMemoryBytes());
    }
}
