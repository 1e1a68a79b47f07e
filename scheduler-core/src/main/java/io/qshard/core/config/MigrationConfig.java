package io.qshard.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The migration loop's settings ({@code migration:} in {@code qshard.yaml}); the schedulers read the hot-node rule too,
 * so replacements never land on a node the loop is emptying. Immutable; validated by the config loader.
 *
 * <p>A node turns hot when its cpu usage (fraction of real allocatable) is above {@code hotThreshold} for
 * {@code hotReports} consecutive reports, or — with {@code predictive} — when its predicted peak over the prediction
 * horizon is above it; it stays hot until its usage falls below {@code coolThreshold} (the hysteresis band). While hot,
 * the loop evicts lower-tier pods until the node's usage is under {@code targetUtilization}.
 *
 * @param enabled               whether the loop acts at all (the schedulers still avoid hot nodes)
 * @param hotThreshold          usage above which a node counts as hot, (0, 1]
 * @param hotReports            consecutive reports above it, ≥ 1
 * @param predictive            also count a node hot when its predicted peak crosses the threshold
 * @param coolThreshold         a hot node stays hot until its usage is below this, (0, hotThreshold]
 * @param targetUtilization     evict down to this, (0, coolThreshold]
 * @param interval              how often the loop plans
 * @param cooldown              after evicting from a node, wait this long before evicting from it again (and never
 *                              evict a pod of the same workload twice within it)
 * @param maxEvictionsPerMinute cluster-wide eviction rate, ≥ 1
 * @param maxPerNode            evictions per node per cycle, ≥ 1
 * @param maxPerWorkload        evictions per workload (controller owner) per cooldown, ≥ 1
 * @param transientHorizon      a hot node the predictors expect (median) back under coolThreshold within this is left
 *                              alone: a passing spike; zero turns this off
 */
public record MigrationConfig(
        boolean enabled,
        double hotThreshold,
        int hotReports,
        boolean predictive,
        double coolThreshold,
        double targetUtilization,
        Duration interval,
        Duration cooldown,
        int maxEvictionsPerMinute,
        int maxPerNode,
        int maxPerWorkload,
        Duration transientHorizon) {
    public static final double DEFAULT_HOT_THRESHOLD = 0.90;
    public static final int DEFAULT_HOT_REPORTS = 3;
    public static final double DEFAULT_COOL_THRESHOLD = 0.85;
    public static final double DEFAULT_TARGET = 0.80;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_EVICTIONS_PER_MINUTE = 20;
    public static final int DEFAULT_MAX_PER_NODE = 3;
    public static final int DEFAULT_MAX_PER_WORKLOAD = 2;
    public static final Duration DEFAULT_TRANSIENT_HORIZON = Duration.ofMinutes(10);

    /** @throws IllegalArgumentException naming the field out of range (the loader reports it with the file) */
    public MigrationConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(transientHorizon, "transientHorizon");
        if (!(hotThreshold > 0 && hotThreshold <= 1)) {
            throw new IllegalArgumentException("hotThreshold " + hotThreshold + " is out of range (0, 1]");
        }
        if (!(coolThreshold > 0 && coolThreshold <= hotThreshold)) {
            throw new IllegalArgumentException("coolThreshold " + coolThreshold + " must be in (0, hotThreshold]");
        }
        if (!(targetUtilization > 0 && targetUtilization <= coolThreshold)) {
            throw new IllegalArgumentException(
                    "targetUtilization " + targetUtilization + " must be in (0, coolThreshold]");
        }
        if (hotReports < 1 || maxEvictionsPerMinute < 1 || maxPerNode < 1 || maxPerWorkload < 1) {
            throw new IllegalArgumentException(
                    "hotReports, maxEvictionsPerMinute, maxPerNode and maxPerWorkload must be >= 1");
        }
    }

    /** The hot-node rule these settings define (shared by the schedulers and the migration loop). */
    public io.qshard.core.usage.HotNodes.Rule hotRule() {
        return new io.qshard.core.usage.HotNodes.Rule(hotThreshold, hotReports, predictive, coolThreshold);
    }

    /** @return the defaults: on, hot above 90 % for 3 reports or predicted, cool under 85 %, evict to 80 % */
    public static MigrationConfig defaults() {
        return new MigrationConfig(
                true,
                DEFAULT_HOT_THRESHOLD,
                DEFAULT_HOT_REPORTS,
                true,
                DEFAULT_COOL_THRESHOLD,
                DEFAULT_TARGET,
                DEFAULT_INTERVAL,
                DEFAULT_COOLDOWN,
                DEFAULT_MAX_EVICTIONS_PER_MINUTE,
                DEFAULT_MAX_PER_NODE,
                DEFAULT_MAX_PER_WORKLOAD,
                DEFAULT_TRANSIENT_HORIZON);
    }

    /** @return these settings with prediction switched on or off */
    public MigrationConfig withPredictive(boolean on) {
        return new MigrationConfig(
                enabled,
                hotThreshold,
                hotReports,
                on,
                coolThreshold,
                targetUtilization,
                interval,
                cooldown,
                maxEvictionsPerMinute,
                maxPerNode,
                maxPerWorkload,
                predictiveHorizon(on));
    }

    private Duration predictiveHorizon(boolean on) {
        return on ? transientHorizon : Duration.ZERO; // a reactive-only loop does not consult the predictors at all
    }

    /** @return these settings with the loop switched on or off */
    public MigrationConfig withEnabled(boolean on) {
        return new MigrationConfig(
                on,
                hotThreshold,
                hotReports,
                predictive,
                coolThreshold,
                targetUtilization,
                interval,
                cooldown,
                maxEvictionsPerMinute,
                maxPerNode,
                maxPerWorkload,
                transientHorizon);
    }
}
