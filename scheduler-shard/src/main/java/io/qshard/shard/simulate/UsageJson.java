package io.qshard.shard.simulate;

import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The JSON merge patch of a {@code NodeUsage} status, written by hand: it is on the simulator's hot path. */
final class UsageJson {
    private UsageJson() {
    }

    static String status(NodeUsageFigures f, Instant now, Duration window, String reporter) {
        StringBuilder sb = new StringBuilder(256 + 96 * f.byPod().size());
        sb.append("{\"status\":{\"timestamp\":\"").append(now).append("\",\"windowSeconds\":")
                .append(Math.max(1, window.toSeconds())).append(",\"reporter\":\"").append(reporter)
                .append("\",\"node\":");
        amount(sb, f.node());
        sb.append(",\"tiers\":{");
        String sep = "";
        for (Map.Entry<String, Usage> e : f.byTier().entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\":");
            amount(sb, e.getValue());
            sep = ",";
        }
        sb.append("},\"pods\":[");
        sep = "";
        for (Map.Entry<String, Usage> e : f.byPod().entrySet()) {
            sb.append(sep).append("{\"uid\":\"").append(e.getKey()).append("\",\"cpuMilli\":")
                    .append(e.getValue().milliCpu()).append(",\"memoryBytes\":").append(e.getValue().memoryBytes())
                    .append('}');
            sep = ",";
        }
        return sb.append("]}}").toString();
    }

    private static void amount(StringBuilder sb, Usage u) {
        sb.append("{\"cpuMilli\":").append(u.milliCpu()).append(",\"memoryBytes\":").append(u.memoryBytes()).append('}');
    }
}
