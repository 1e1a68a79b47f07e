package io.qshard.core.pool;

import java.time.Duration;

/**
 * Parameters of the dynamic resource view (docs/architecture.md, "The pools"). Immutable; validated by
 * the config loader.
 *
 * @param cpuTargetUtilization    peakCap = allocatable × this, for cpu; (0, 1]
 * @param memoryTargetUtilization the same for memory; (0, 1]
 * @param cpuSafetyMargin         margin kept free, as a fraction of real allocatable cpu; [0, 1)
 * @param memorySafetyMargin      the same for memory; [0, 1)
 * @param estimateFactor          young pods count as max(observed, request × factor); (0, 10]
 * @param reportInterval          how often nodes report usage
 * @param staleAfter              a usage report older than this falls back to the conservative view
 */
public record PoolConfig(
        double cpuTargetUtilization,
        double memoryTargetUtilization,
        double cpuSafetyMargin,
        double memorySafetyMargin,
        double estimateFactor,
        Duration reportInterval,
        Duration staleAfter) {

    public static final double DEFAULT_CPU_TARGET_UTILIZATION = 0.85;
    public static final double DEFAULT_MEMORY_TARGET_UTILIZATION = 0.90;
    public static final double DEFAULT_CPU_SAFETY_MARGIN = 0.05;
    public static final double DEFAULT_MEMORY_SAFETY_MARGIN = 0.05;
    public static final double DEFAULT_ESTIMATE_FACTOR = 1.0;
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    /** What the usage view needs of these parameters: staleness, young pods (one report interval), estimate factor. */
    public io.qshard.core.usage.UsageView.Estimates estimates() {
        return new io.qshard.core.usage.UsageView.Estimates(staleAfter, reportInterval, estimateFactor);
    }

    public static PoolConfig defaults() {
        return new PoolConfig(
                DEFAULT_CPU_TARGET_UTILIZATION,
                DEFAULT_MEMORY_TARGET_UTILIZATION,
                DEFAULT_CPU_SAFETY_MARGIN,
                DEFAULT_MEMORY_SAFETY_MARGIN,
                DEFAULT_ESTIMATE_FACTOR,
                DEFAULT_REPORT_INTERVAL,
                DEFAULT_STALE_AFTER);
    }
}
