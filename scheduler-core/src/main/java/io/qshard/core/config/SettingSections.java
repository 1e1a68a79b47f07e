package io.qshard.core.config;

import static io.qshard.core.config.Bounds.fraction;
import static io.qshard.core.config.Bounds.positive;
import static io.qshard.core.config.Bounds.range;

import io.qshard.core.algorithm.DecisionReuse;
import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.queue.BackoffPolicy;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.shard.PodOwnership;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code pools:}, {@code scheduling:}, {@code predictions:} and {@code migration:} sections of {@code qshard.yaml}.
 * Each records every error it finds in {@link ConfigErrors}, skips the checks that depend on a value in error, and
 * returns its settings only when it has none. Stateless.
 */
final class SettingSections {
    /** The {@code scheduling:} section's values. */
    record Scheduling(
            NodesToScore nodesToScore,
            BackoffPolicy backoff,
            Duration unschedulableTimeout,
            Duration shardRotation,
            int equivalentPodReuse) {}

    private SettingSections() {}

    static Optional<PoolConfig> pools(YamlMap root, ConfigErrors errors) {
        int before = errors.count();
        YamlMap p = root.map("pools");
        PoolConfig d = PoolConfig.defaults();
        YamlMap target = p.map("targetUtilization");
        Optional<Double> cpuTarget = errors.attempt(
                () -> fraction(target, "cpu", target.number("cpu").orElse(d.cpuTargetUtilization()), false));
        Optional<Double> memTarget = errors.attempt(
                () -> fraction(target, "memory", target.number("memory").orElse(d.memoryTargetUtilization()), false));
        target.finish();
        YamlMap margin = p.map("safetyMargin");
        Optional<Double> cpuMargin = errors.attempt(
                () -> fraction(margin, "cpu", margin.number("cpu").orElse(d.cpuSafetyMargin()), true));
        Optional<Double> memMargin = errors.attempt(
                () -> fraction(margin, "memory", margin.number("memory").orElse(d.memorySafetyMargin()), true));
        margin.finish();
        if (atLeast(cpuMargin, cpuTarget) || atLeast(memMargin, memTarget)) {
            errors.add(p.field("safetyMargin"), "must be smaller than targetUtilization");
        }
        Optional<Double> factor = errors.attempt(() -> {
            double f = p.number("estimateFactor").orElse(d.estimateFactor());
            if (!(f > 0 && f <= 10)) {
                throw p.error(p.field("estimateFactor"), f + " is out of range (0, 10]");
            }
            return f;
        });
        Optional<Duration> interval = errors.attempt(
                () -> positive(p, "reportInterval", p.duration("reportInterval").orElse(d.reportInterval())));
        Optional<Duration> stale = errors.attempt(
                () -> positive(p, "staleAfter", p.duration("staleAfter").orElse(d.staleAfter())));
        if (above(interval, stale)) {
            errors.add(
                    p.field("staleAfter"),
                    stale.orElseThrow() + " is shorter than reportInterval " + interval.orElseThrow());
        }
        p.finish();
        if (errors.count() > before || !p.valid()) {
            return Optional.empty();
        }
        return Optional.of(new PoolConfig(
                cpuTarget.orElseThrow(),
                memTarget.orElseThrow(),
                cpuMargin.orElseThrow(),
                memMargin.orElseThrow(),
                factor.orElseThrow(),
                interval.orElseThrow(),
                stale.orElseThrow()));
    }

    static Optional<Scheduling> scheduling(YamlMap root, ConfigErrors errors) {
        int before = errors.count();
        YamlMap s = root.map("scheduling");
        Optional<NodesToScore> nodesToScore = errors.attempt(() -> new NodesToScore((int) range(
                s,
                "percentageOfNodesToScore",
                s.integer("percentageOfNodesToScore").orElse((long) NodesToScore.ADAPTIVE),
                0,
                100)));
        Optional<Duration> initial = errors.attempt(() ->
                positive(s, "backoffInitial", s.duration("backoffInitial").orElse(BackoffPolicy.DEFAULT_INITIAL)));
        Optional<Duration> max = errors.attempt(
                () -> positive(s, "backoffMax", s.duration("backoffMax").orElse(BackoffPolicy.DEFAULT_MAX)));
        if (above(initial, max)) {
            errors.add(
                    s.field("backoffMax"),
                    max.orElseThrow() + " is shorter than backoffInitial " + initial.orElseThrow());
        }
        Optional<Duration> unschedulableTimeout = errors.attempt(() -> positive(
                s,
                "unschedulableTimeout",
                s.duration("unschedulableTimeout").orElse(SchedulingQueue.DEFAULT_UNSCHEDULABLE_TIMEOUT)));
        Optional<Duration> rotation = errors.attempt(
                () -> positive(s, "shardRotation", s.duration("shardRotation").orElse(PodOwnership.DEFAULT_ROTATION)));
        Optional<Long> reuse = errors.attempt(() -> range(
                s,
                "equivalentPodReuse",
                s.integer("equivalentPodReuse").orElse((long) DecisionReuse.DEFAULT_MAX_REUSES),
                0,
                1000));
        s.finish();
        if (errors.count() > before || !s.valid()) {
            return Optional.empty();
        }
        return Optional.of(new Scheduling(
                nodesToScore.orElseThrow(),
                new BackoffPolicy(initial.orElseThrow(), max.orElseThrow()),
                unschedulableTimeout.orElseThrow(),
                rotation.orElseThrow(),
                reuse.orElseThrow().intValue()));
    }

    static Optional<PredictionConfig> predictions(YamlMap root, ConfigErrors errors) {
        int before = errors.count();
        YamlMap p = root.map("predictions");
        PredictionConfig d = PredictionConfig.defaults();
        Optional<Boolean> enabled = errors.attempt(() -> p.has("enabled") ? p.bool("enabled") : d.enabled());
        Optional<Duration> horizon = errors.attempt(() -> {
            Duration h = p.duration("horizon").orElse(d.horizon());
            if (h.compareTo(Duration.ofMinutes(1)) < 0 || h.compareTo(Duration.ofHours(24)) > 0) {
                throw p.error(p.field("horizon"), h.toMinutes() + "m is out of range 1m..24h");
            }
            return h;
        });
        Optional<Double> quantile = errors.attempt(() -> {
            double q = p.number("quantile").orElse(d.quantile());
            if (!(q >= 0.5 && q <= 0.99)) {
                throw p.error(p.field("quantile"), q + " is out of range [0.5, 0.99]");
            }
            return q;
        });
        Optional<Double> threshold = errors.attempt(() -> {
            double t = p.number("hotspotThreshold").orElse(d.hotspotThreshold());
            if (!(t >= 1 && t <= 100)) {
                throw p.error(
                        p.field("hotspotThreshold"),
                        t + " is out of range [1, 100] (percent of allocatable" + (t < 1 ? ", not a fraction)" : ")"));
            }
            return t;
        });
        p.finish();
        if (errors.count() > before || !p.valid()) {
            return Optional.empty();
        }
        return Optional.of(new PredictionConfig(
                enabled.orElseThrow(), horizon.orElseThrow(), quantile.orElseThrow(), threshold.orElseThrow()));
    }

    static Optional<MigrationConfig> migration(YamlMap root, ConfigErrors errors) {
        int before = errors.count();
        YamlMap m = root.map("migration");
        MigrationConfig d = MigrationConfig.defaults();
        Optional<Boolean> enabled = errors.attempt(() -> m.has("enabled") ? m.bool("enabled") : d.enabled());
        Optional<Double> hot = errors.attempt(
                () -> fraction(m, "hotThreshold", m.number("hotThreshold").orElse(d.hotThreshold()), false));
        Optional<Long> reports = errors.attempt(
                () -> range(m, "hotReports", m.integer("hotReports").orElse((long) d.hotReports()), 1, 100));
        Optional<Boolean> predictive =
                errors.attempt(() -> m.has("predictive") ? m.bool("predictive") : d.predictive());
        Optional<Double> cool = errors.attempt(
                () -> fraction(m, "coolThreshold", m.number("coolThreshold").orElse(d.coolThreshold()), false));
        if (above(cool, hot)) {
            errors.add(
                    m.field("coolThreshold"),
                    cool.orElseThrow() + " is above hotThreshold " + hot.orElseThrow()
                            + " (the hysteresis band is below it)");
        }
        Optional<Double> target = errors.attempt(() ->
                fraction(m, "targetUtilization", m.number("targetUtilization").orElse(d.targetUtilization()), false));
        if (above(target, cool)) {
            errors.add(
                    m.field("targetUtilization"),
                    target.orElseThrow() + " is above coolThreshold " + cool.orElseThrow());
        }
        Optional<Duration> interval = errors.attempt(
                () -> positive(m, "interval", m.duration("interval").orElse(d.interval())));
        Optional<Duration> cooldown = errors.attempt(
                () -> positive(m, "cooldown", m.duration("cooldown").orElse(d.cooldown())));
        Optional<Long> rate = errors.attempt(() -> range(
                m,
                "maxEvictionsPerMinute",
                m.integer("maxEvictionsPerMinute").orElse((long) d.maxEvictionsPerMinute()),
                1,
                10_000));
        Optional<Long> perNode = errors.attempt(
                () -> range(m, "maxPerNode", m.integer("maxPerNode").orElse((long) d.maxPerNode()), 1, 1_000));
        Optional<Long> perWorkload = errors.attempt(() ->
                range(m, "maxPerWorkload", m.integer("maxPerWorkload").orElse((long) d.maxPerWorkload()), 1, 1_000));
        Optional<Duration> transientHorizon =
                errors.attempt(() -> m.duration("transientHorizon").orElse(d.transientHorizon()));
        m.finish();
        if (errors.count() > before || !m.valid()) {
            return Optional.empty();
        }
        return Optional.of(new MigrationConfig(
                enabled.orElseThrow(),
                hot.orElseThrow(),
                reports.orElseThrow().intValue(),
                predictive.orElseThrow(),
                cool.orElseThrow(),
                target.orElseThrow(),
                interval.orElseThrow(),
                cooldown.orElseThrow(),
                rate.orElseThrow().intValue(),
                perNode.orElseThrow().intValue(),
                perWorkload.orElseThrow().intValue(),
                transientHorizon.orElseThrow()));
    }

    /** Whether both values are there and {@code a >= b} (a check between two values needs both to be valid). */
    private static <T extends Comparable<T>> boolean atLeast(Optional<T> a, Optional<T> b) {
        return a.isPresent() && b.isPresent() && a.orElseThrow().compareTo(b.orElseThrow()) >= 0;
    }

    /** Whether both values are there and {@code a > b}. */
    private static <T extends Comparable<T>> boolean above(Optional<T> a, Optional<T> b) {
        return a.isPresent() && b.isPresent() && a.orElseThrow().compareTo(b.orElseThrow()) > 0;
    }
}
