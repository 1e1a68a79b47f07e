package io.qshard.simulator;

import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The JSON merge patch of a {@code NodeUsage} status, written by hand: it is on the simulator's hot path. */
final class UsageJson {
    private UsageJson() {}

    /**
     * @param f        the figures
     * @param tiers    every tier name the report must carry (zero when absent from the figures): a merge patch keeps
     *                 keys it does not mention, so a tier whose last pod left would otherwise keep its old usage
     * @param ceiling  the batch ceiling to publish, batch components ({@code Resources.batch}), or null
     */
    static String status(
            NodeUsageFigures f,
            java.util.Collection<String> tiers,
            io.qshard.core.model.Resources ceiling,
            Instant now,
            Duration window,
            String reporter) {
        StringBuilder sb = new StringBuilder(256 + 96 * f.byPod().size());
        sb.append("{\"status\":{\"timestamp\":\"")
                .append(now)
                .append("\",\"windowSeconds\":")
                .append(Math.max(1, window.toSeconds()))
                .append(",\"reporter\":\"")
                .append(reporter)
                .append("\",\"node\":");
        amount(sb, f.node());
        if (ceiling != null) {
            sb.append(",\"batchCeiling\":");
            amount(sb, new Usage(ceiling.batchMilliCpu(), ceiling.batchMemoryBytes()));
        }
        sb.append(",\"tiers\":{");
        String sep = "";
        java.util.Set<String> names = new java.util.LinkedHashSet<>(tiers);
        names.addAll(f.byTier().keySet());
        for (String tier : names) {
            sb.append(sep).append('"').append(tier).append("\":");
            amount(sb, f.byTier().getOrDefault(tier, Usage.ZERO));
            sep = ",";
        }
        sb.append("},\"pods\":[");
        sep = "";
        for (Map.Entry<String, Usage> e : f.byPod().entrySet()) {
            sb.append(sep)
                    .append("{\"uid\":\"")
                    .append(e.getKey())
                    .append("\",\"cpuMilli\":")
                    .append(e.getValue().milliCpu())
                    .append(",\"memoryBytes\":")
                    .append(e.getValue().memoryBytes())
                    .append('}');
            sep = ",";
        }
        return sb.append("]}}").toString();
    }

    private static void amount(StringBuilder sb, Usage u) {
        sb.append("{\"cpuMilli\":")
                .append(u.milliCpu())
                .append(",\"memoryBytes\":")
                .append(u.memoryBytes())
                .append('}');
    }
}
