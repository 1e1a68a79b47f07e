package io.qshard.core.config;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.model.TopologyArgs;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.queue.BackoffPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Loads {@code qshard.yaml}: tiers listed there are merged over the built-in ones by name (any field left
 * out keeps the default; a new tier must give schedulerName, priority and pool), then everything is
 * validated — and every tier's plugins are instantiated once — so a bad file fails at startup with a
 * message naming the field. See {@code manifests/qshard.yaml} for a complete example. Stateless.
 */
public final class QshardConfigLoader {
    private static final Pattern TIER_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
    private static final Map<String, PoolRule> POOLS = Map.of(
            "allocatable",
            PoolRule.ALLOCATABLE,
            "mid",
            PoolRule.MID_POOL,
            "batch",
            PoolRule.BATCH_POOL,
            "free",
            PoolRule.FREE_POOL);
    private static final int MAX_SHARDS = 64;

    private final PluginRegistry registry;

    public QshardConfigLoader(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Loads and validates a file. */
    public QshardConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses and validates YAML text; {@code source} names it in errors. */
    public QshardConfig parse(String yaml, String source) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().setLabel(source).build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigException(
                    source,
                    "",
                    "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        YamlMap root = new YamlMap(source, "", doc);
        List<Tier> tiers = tiers(root);
        PoolConfig pools = pools(root.map("pools"));
        YamlMap sched = root.map("scheduling");
        NodesToScore nodesToScore = new NodesToScore((int) range(
                sched,
                "percentageOfNodesToScore",
                sched.integer("percentageOfNodesToScore").orElse((long) NodesToScore.ADAPTIVE),
                0,
                100));
        Duration initial = positive(
                sched, "backoffInitial", sched.duration("backoffInitial").orElse(BackoffPolicy.DEFAULT_INITIAL));
        Duration max =
                positive(sched, "backoffMax", sched.duration("backoffMax").orElse(BackoffPolicy.DEFAULT_MAX));
        if (max.compareTo(initial) < 0) {
            throw sched.error(sched.field("backoffMax"), max + " is shorter than backoffInitial " + initial);
        }
        Duration unschedulableTimeout = positive(
                sched,
                "unschedulableTimeout",
                sched.duration("unschedulableTimeout")
                        .orElse(io.qshard.core.queue.SchedulingQueue.DEFAULT_UNSCHEDULABLE_TIMEOUT));
        Duration rotation = positive(
                sched,
                "shardRotation",
                sched.duration("shardRotation").orElse(io.qshard.core.shard.PodOwnership.DEFAULT_ROTATION));
        int reuse = (int) range(
                sched,
                "equivalentPodReuse",
                sched.integer("equivalentPodReuse")
                        .orElse((long) io.qshard.core.algorithm.DecisionReuse.DEFAULT_MAX_REUSES),
                0,
                1000);
        sched.finish();
        PredictionConfig predictions = predictions(root.map("predictions"));
        MigrationConfig migration = migration(root.map("migration"));
        root.finish();
        QshardConfig config = new QshardConfig(
                tiers,
                pools,
                nodesToScore,
                new BackoffPolicy(initial, max),
                unschedulableTimeout,
                predictions,
                migration,
                rotation,
                reuse);
        checkProfiles(config, source);
        return config;
    }

    private List<Tier> tiers(YamlMap root) {
        Map<String, Tier> byName = new LinkedHashMap<>();
        DefaultTiers.all().forEach(t -> byName.put(t.name(), t));
        Set<String> listed = new HashSet<>();
        for (YamlMap t : root.mapList("tiers").orElse(List.of())) {
            String name = t.string("name").orElseThrow(() -> t.error(t.field("name"), "required"));
            if (!TIER_NAME.matcher(name).matches()) {
                throw t.error(t.field("name"), "'" + name + "' must be lowercase letters, digits and '-' (≤ 32)");
            }
            if (!listed.add(name)) {
                throw t.error(t.field("name"), "tier '" + name + "' is listed twice");
            }
            byName.put(name, tier(t, name, byName.get(name)));
        }
        Map<String, String> schedulerNames = new HashMap<>();
        for (Tier t : byName.values()) {
            String other = schedulerNames.putIfAbsent(t.schedulerName(), t.name());
            if (other != null) {
                throw root.error(
                        "tiers",
                        "schedulerName '" + t.schedulerName() + "' is used by tiers '" + other + "' and '" + t.name()
                                + "'; each tier needs its own");
            }
        }
        List<Tier> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparingInt(Tier::priority).reversed());
        return out;
    }

    private Tier tier(YamlMap t, String name, Tier base) {
        if (base == null) {
            for (String required : List.of("schedulerName", "priority", "pool")) {
                if (!t.has(required)) {
                    throw t.error(t.field(required), "required for the new tier '" + name + "'");
                }
            }
        }
        String schedulerName = t.string("schedulerName").orElseGet(() -> base.schedulerName());
        int priority = (int) range(
                t,
                "priority",
                t.integer("priority").orElseGet(() -> (long) base.priority()),
                -2_000_000_000L,
                1_000_000_000L);
        PoolRule pool = t.string("pool")
                .map(p -> {
                    PoolRule r = POOLS.get(p);
                    if (r == null) {
                        throw t.error(t.field("pool"), "unknown pool '" + p + "' (allocatable, mid, batch, free)");
                    }
                    return r;
                })
                .orElseGet(() -> base.poolRule());
        List<String> plugins =
                t.stringList("plugins").orElseGet(() -> base == null ? DefaultTiers.pluginsFor(pool) : base.plugins());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < plugins.size(); i++) {
            String p = plugins.get(i);
            if (registry.factory(p).isEmpty()) {
                throw t.error(
                        t.field("plugins") + "[" + i + "]",
                        "unknown plugin '" + p + "' (registered: " + String.join(", ", registry.names())
                                + "; or the class name of a Plugin on the classpath)");
            }
            if (!seen.add(p)) {
                throw t.error(t.field("plugins") + "[" + i + "]", "plugin '" + p + "' is listed twice");
            }
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (base != null) {
            base.scoreWeights().forEach((plugin, weight) -> {
                if (plugins.contains(plugin)) {
                    weights.put(plugin, weight); // inherited, unless the plugin was dropped from the list
                }
            });
        }
        if (t.has("weights")) {
            YamlMap w = t.map("weights");
            for (String plugin : w.keys()) {
                if (!plugins.contains(plugin)) {
                    throw w.error(w.field(plugin), "plugin '" + plugin + "' is not enabled in this tier's plugins");
                }
                weights.put(plugin, (int) range(w, plugin, w.integer(plugin).orElseThrow(), 1, 100));
            }
        }
        DefaultTiers.TOPOLOGY_WEIGHTS.forEach((plugin, weight) -> {
            if (plugins.contains(plugin)) {
                weights.putIfAbsent(plugin, weight); // kube-scheduler's default weight, not 1
            }
        });
        int shards = (int) range(
                t, "shards", t.integer("shards").orElseGet(() -> base == null ? 1L : base.shards()), 1, MAX_SHARDS);
        TopologyArgs topology = t.has("topology")
                ? topology(t.map("topology"), base == null ? TopologyArgs.DEFAULTS : base.topology())
                : base == null ? TopologyArgs.DEFAULTS : base.topology();
        FitArgs fit = t.has("fit")
                ? fit(t.map("fit"), base == null ? FitArgs.DEFAULTS : base.fit())
                : base == null ? FitArgs.DEFAULTS : base.fit();
        t.finish();
        return new Tier(name, schedulerName, priority, pool, plugins, weights, shards, topology, fit);
    }

    /**
     * A tier's {@code fit:} section (kube-scheduler's NodeResourcesFitArgs); absent fields keep {@code base}'s values.
     * Entries are validated as kube-scheduler 1.20 validates them, the error naming the entry.
     */
    private static FitArgs fit(YamlMap m, FitArgs base) {
        List<String> resources = m.stringList("ignoredResources").orElse(base.ignoredResources());
        for (int i = 0; i < resources.size(); i++) {
            String problem = FitArgs.resourceProblem(resources.get(i));
            if (problem != null) {
                throw m.error(m.field("ignoredResources") + "[" + i + "]", problem);
            }
        }
        List<String> groups = m.stringList("ignoredResourceGroups").orElse(base.ignoredResourceGroups());
        for (int i = 0; i < groups.size(); i++) {
            String problem = FitArgs.groupProblem(groups.get(i));
            if (problem != null) {
                throw m.error(m.field("ignoredResourceGroups") + "[" + i + "]", problem);
            }
        }
        m.finish();
        return new FitArgs(resources, groups);
    }

    /** A tier's {@code topology:} section; absent fields keep {@code base}'s values. */
    private static TopologyArgs topology(YamlMap m, TopologyArgs base) {
        int hard = (int) range(
                m,
                "hardPodAffinityWeight",
                m.integer("hardPodAffinityWeight").orElse((long) base.hardPodAffinityWeight()),
                0,
                100);
        List<TopologySpreadConstraint> defaults = base.defaultConstraints();
        if (m.has("defaultConstraints")) {
            defaults = new ArrayList<>();
            List<YamlMap> list = m.mapList("defaultConstraints").orElseThrow();
            for (YamlMap c : list) {
                int skew = (int) range(
                        c,
                        "maxSkew",
                        c.integer("maxSkew").orElseThrow(() -> c.error(c.field("maxSkew"), "required")),
                        1,
                        Integer.MAX_VALUE);
                String key = c.string("topologyKey").orElseThrow(() -> c.error(c.field("topologyKey"), "required"));
                String when = c.string("whenUnsatisfiable")
                        .orElseThrow(() ->
                                c.error(c.field("whenUnsatisfiable"), "required (ScheduleAnyway or DoNotSchedule)"));
                if (!when.equals("ScheduleAnyway") && !when.equals("DoNotSchedule")) {
                    throw c.error(
                            c.field("whenUnsatisfiable"),
                            "must be ScheduleAnyway or DoNotSchedule, was '" + when + "'");
                }
                c.finish();
                boolean hardConstraint = when.equals("DoNotSchedule");
                if (defaults.stream()
                        .anyMatch(d -> d.topologyKey().equals(key) && d.doNotSchedule() == hardConstraint)) {
                    throw c.error(
                            c.field("topologyKey"),
                            "duplicate constraint: topologyKey '" + key + "' with " + when + " is listed twice");
                }
                defaults.add(TopologySpreadConstraint.of(skew, key, hardConstraint, LabelSelector.NOTHING));
            }
        }
        m.finish();
        return new TopologyArgs(hard, defaults);
    }

    private static PoolConfig pools(YamlMap p) {
        PoolConfig d = PoolConfig.defaults();
        YamlMap target = p.map("targetUtilization");
        double cpuTarget = fraction(target, "cpu", target.number("cpu").orElse(d.cpuTargetUtilization()), false);
        double memTarget =
                fraction(target, "memory", target.number("memory").orElse(d.memoryTargetUtilization()), false);
        target.finish();
        YamlMap margin = p.map("safetyMargin");
        double cpuMargin = fraction(margin, "cpu", margin.number("cpu").orElse(d.cpuSafetyMargin()), true);
        double memMargin = fraction(margin, "memory", margin.number("memory").orElse(d.memorySafetyMargin()), true);
        margin.finish();
        if (cpuMargin >= cpuTarget || memMargin >= memTarget) {
            throw p.error(p.field("safetyMargin"), "must be smaller than targetUtilization");
        }
        double factor = p.number("estimateFactor").orElse(d.estimateFactor());
        if (!(factor > 0 && factor <= 10)) {
            throw p.error(p.field("estimateFactor"), factor + " is out of range (0, 10]");
        }
        Duration interval =
                positive(p, "reportInterval", p.duration("reportInterval").orElse(d.reportInterval()));
        Duration stale = positive(p, "staleAfter", p.duration("staleAfter").orElse(d.staleAfter()));
        if (stale.compareTo(interval) < 0) {
            throw p.error(p.field("staleAfter"), stale + " is shorter than reportInterval " + interval);
        }
        p.finish();
        return new PoolConfig(cpuTarget, memTarget, cpuMargin, memMargin, factor, interval, stale);
    }

    private static PredictionConfig predictions(YamlMap p) {
        PredictionConfig d = PredictionConfig.defaults();
        boolean enabled = p.has("enabled") ? p.bool("enabled") : d.enabled();
        Duration horizon = p.duration("horizon").orElse(d.horizon());
        if (horizon.compareTo(Duration.ofMinutes(1)) < 0 || horizon.compareTo(Duration.ofHours(24)) > 0) {
            throw p.error(p.field("horizon"), horizon.toMinutes() + "m is out of range 1m..24h");
        }
        double quantile = p.number("quantile").orElse(d.quantile());
        if (!(quantile >= 0.5 && quantile <= 0.99)) {
            throw p.error(p.field("quantile"), quantile + " is out of range [0.5, 0.99]");
        }
        double threshold = p.number("hotspotThreshold").orElse(d.hotspotThreshold());
        if (!(threshold >= 1 && threshold <= 100)) {
            throw p.error(
                    p.field("hotspotThreshold"),
                    threshold + " is out of range [1, 100] (percent of allocatable"
                            + (threshold < 1 ? ", not a fraction)" : ")"));
        }
        p.finish();
        return new PredictionConfig(enabled, horizon, quantile, threshold);
    }

    private static MigrationConfig migration(YamlMap m) {
        MigrationConfig d = MigrationConfig.defaults();
        boolean enabled = m.has("enabled") ? m.bool("enabled") : d.enabled();
        double hot = fraction(m, "hotThreshold", m.number("hotThreshold").orElse(d.hotThreshold()), false);
        int reports = (int) range(m, "hotReports", m.integer("hotReports").orElse((long) d.hotReports()), 1, 100);
        boolean predictive = m.has("predictive") ? m.bool("predictive") : d.predictive();
        double cool = fraction(m, "coolThreshold", m.number("coolThreshold").orElse(d.coolThreshold()), false);
        if (cool > hot) {
            throw m.error(
                    m.field("coolThreshold"),
                    cool + " is above hotThreshold " + hot + " (the hysteresis band is below it)");
        }
        double target =
                fraction(m, "targetUtilization", m.number("targetUtilization").orElse(d.targetUtilization()), false);
        if (target > cool) {
            throw m.error(m.field("targetUtilization"), target + " is above coolThreshold " + cool);
        }
        Duration interval = positive(m, "interval", m.duration("interval").orElse(d.interval()));
        Duration cooldown = positive(m, "cooldown", m.duration("cooldown").orElse(d.cooldown()));
        int rate = (int) range(
                m,
                "maxEvictionsPerMinute",
                m.integer("maxEvictionsPerMinute").orElse((long) d.maxEvictionsPerMinute()),
                1,
                10_000);
        int perNode = (int) range(m, "maxPerNode", m.integer("maxPerNode").orElse((long) d.maxPerNode()), 1, 1_000);
        int perWorkload = (int)
                range(m, "maxPerWorkload", m.integer("maxPerWorkload").orElse((long) d.maxPerWorkload()), 1, 1_000);
        Duration transientHorizon = m.duration("transientHorizon").orElse(d.transientHorizon());
        m.finish();
        return new MigrationConfig(
                enabled,
                hot,
                reports,
                predictive,
                cool,
                target,
                interval,
                cooldown,
                rate,
                perNode,
                perWorkload,
                transientHorizon);
    }

    private void checkProfiles(QshardConfig config, String source) {
        PluginContext ctx = new PluginContext(config.pools(), Clock.systemUTC());
        for (int i = 0; i < config.tiers().size(); i++) {
            Tier t = config.tiers().get(i);
            try {
                Profile.build(t, registry, ctx);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source, "tiers." + t.name(), e.getMessage());
            }
        }
    }

    private static double fraction(YamlMap m, String key, double v, boolean zeroAllowed) {
        if (zeroAllowed ? !(v >= 0 && v < 1) : !(v > 0 && v <= 1)) {
            throw m.error(
                    m.field(key),
                    v + " is out of range " + (zeroAllowed ? "[0, 1)" : "(0, 1]")
                            + (v > 1 ? " (a fraction, not a percentage)" : ""));
        }
        return v;
    }

    private static long range(YamlMap m, String key, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw m.error(m.field(key), v + " is out of range " + lo + ".." + hi);
        }
        return v;
    }

    private static Duration positive(YamlMap m, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw m.error(m.field(key), "must be > 0");
        }
        return d;
    }
}
