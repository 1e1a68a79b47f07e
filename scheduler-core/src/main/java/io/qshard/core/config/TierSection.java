package io.qshard.core.config;

import static io.qshard.core.config.Bounds.range;

import io.qshard.core.framework.PluginRegistry;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.model.TopologyArgs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code tiers:} section of {@code qshard.yaml}: listed tiers are merged over the built-in ones by name (any field
 * left out keeps the default; a new tier must give schedulerName, priority and pool). Every error is recorded in
 * {@link ConfigErrors}; an entry whose name is wrong, or that repeats a name, is not checked further (which tier it
 * merges over is unknown), and a wrong field skips only the checks that depend on it. Not thread-safe; one per load.
 */
final class TierSection {
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
    private final ConfigErrors errors;
    private final Map<String, String> listedAt = new HashMap<>();

    TierSection(PluginRegistry registry, ConfigErrors errors) {
        this.registry = registry;
        this.errors = errors;
    }

    /**
     * The tiers, highest priority first: the built-in ones merged with the listed ones that are valid (a listed tier
     * in error is left out). The whole list when no error was recorded.
     */
    List<Tier> tiers(YamlMap root) {
        Map<String, Tier> byName = new LinkedHashMap<>();
        DefaultTiers.all().forEach(t -> byName.put(t.name(), t));
        Map<String, String> schedulerNames = new LinkedHashMap<>(); // tier → its schedulerName, where that is known
        byName.values().forEach(t -> schedulerNames.put(t.name(), t.schedulerName()));
        for (YamlMap t :
                errors.attempt(() -> root.mapList("tiers").orElse(List.of())).orElse(List.of())) {
            Optional<String> name = errors.attempt(() -> name(t));
            if (name.isEmpty()) {
                continue;
            }
            String n = name.orElseThrow();
            if (listedAt.putIfAbsent(n, t.path()) != null) {
                errors.add(t.field("name"), "tier '" + n + "' is listed twice");
                continue;
            }
            tier(t, n, byName.get(n), schedulerNames)
                    .ifPresentOrElse(tier -> byName.put(n, tier), () -> byName.remove(n));
        }
        Map<String, String> users = new HashMap<>();
        schedulerNames.forEach((tier, schedulerName) -> {
            String other = users.putIfAbsent(schedulerName, tier);
            if (other != null) {
                errors.add(
                        "tiers",
                        "schedulerName '" + schedulerName + "' is used by tiers '" + other + "' and '" + tier
                                + "'; each tier needs its own",
                        listedAt.getOrDefault(tier, listedAt.getOrDefault(other, "tiers")));
            }
        });
        List<Tier> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparingInt(Tier::priority).reversed());
        return out;
    }

    /** Where the tier named {@code name} is listed ({@code tiers[2]}), or {@code tiers} for a built-in one. */
    String listedAt(String name) {
        return listedAt.getOrDefault(name, "tiers");
    }

    private static String name(YamlMap t) {
        String name = t.string("name").orElseThrow(() -> t.error(t.field("name"), "required"));
        if (!TIER_NAME.matcher(name).matches()) {
            throw t.error(t.field("name"), "'" + name + "' must be lowercase letters, digits and '-' (≤ 32)");
        }
        return name;
    }

    private Optional<Tier> tier(YamlMap t, String name, Tier base, Map<String, String> schedulerNames) {
        int before = errors.count();
        if (base == null) {
            for (String required : List.of("schedulerName", "priority", "pool")) {
                if (!t.has(required)) {
                    errors.add(t.field(required), "required for the new tier '" + name + "'");
                }
            }
        }
        Optional<String> schedulerName = listedOr(() -> t.string("schedulerName"), base, Tier::schedulerName);
        schedulerName.ifPresentOrElse(s -> schedulerNames.put(name, s), () -> schedulerNames.remove(name));
        Optional<Long> priority = listedOr(
                () -> t.integer("priority").map(p -> range(t, "priority", p, -2_000_000_000L, 1_000_000_000L)),
                base,
                b -> (long) b.priority());
        Optional<PoolRule> pool = listedOr(() -> t.string("pool").map(p -> pool(t, p)), base, Tier::poolRule);
        Optional<List<String>> plugins = errors.attempt(() -> t.stringList("plugins"))
                .flatMap(listed -> listed.or(
                        () -> base != null ? Optional.of(base.plugins()) : pool.map(DefaultTiers::pluginsFor)));
        plugins.ifPresent(list -> checkPlugins(t, list));
        Map<String, Integer> weights = weights(t, base, plugins);
        Optional<Long> shards = errors.attempt(() -> range(
                t, "shards", t.integer("shards").orElseGet(() -> base == null ? 1L : base.shards()), 1, MAX_SHARDS));
        TopologyArgs baseTopology = base == null ? TopologyArgs.DEFAULTS : base.topology();
        Optional<TopologyArgs> topology =
                t.has("topology") ? TierArgSections.topology(t, baseTopology, errors) : Optional.of(baseTopology);
        FitArgs baseFit = base == null ? FitArgs.DEFAULTS : base.fit();
        Optional<FitArgs> fit = t.has("fit") ? TierArgSections.fit(t, baseFit, errors) : Optional.of(baseFit);
        t.finish();
        if (errors.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new Tier(
                name,
                schedulerName.orElseThrow(),
                priority.orElseThrow().intValue(),
                pool.orElseThrow(),
                plugins.orElseThrow(),
                weights,
                shards.orElseThrow().intValue(),
                topology.orElseThrow(),
                fit.orElseThrow()));
    }

    /** The listed value, else {@code base}'s; empty when the listed one is wrong (recorded) or neither is there. */
    private <T> Optional<T> listedOr(Supplier<Optional<T>> listed, Tier base, Function<Tier, T> inherited) {
        return errors.attempt(listed)
                .flatMap(v -> v.or(() -> Optional.ofNullable(base).map(inherited)));
    }

    private static PoolRule pool(YamlMap t, String name) {
        PoolRule r = POOLS.get(name);
        if (r == null) {
            throw t.error(t.field("pool"), "unknown pool '" + name + "' (allocatable, mid, batch, free)");
        }
        return r;
    }

    private void checkPlugins(YamlMap t, List<String> plugins) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < plugins.size(); i++) {
            String p = plugins.get(i);
            if (registry.factory(p).isEmpty()) {
                errors.add(
                        t.field("plugins") + "[" + i + "]",
                        "unknown plugin '" + p + "' (registered: " + String.join(", ", registry.names())
                                + "; or the class name of a Plugin on the classpath)");
            } else if (!seen.add(p)) {
                errors.add(t.field("plugins") + "[" + i + "]", "plugin '" + p + "' is listed twice");
            }
        }
    }

    /** The tier's score weights: inherited, listed (1..100, of enabled plugins), kube-scheduler's for topology. */
    private Map<String, Integer> weights(YamlMap t, Tier base, Optional<List<String>> plugins) {
        List<String> enabled = plugins.orElse(List.of());
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (base != null) {
            base.scoreWeights().forEach((plugin, weight) -> {
                if (enabled.contains(plugin)) {
                    weights.put(plugin, weight); // inherited, unless the plugin was dropped from the list
                }
            });
        }
        if (t.has("weights")) {
            YamlMap w = t.map("weights");
            for (String plugin : w.keys()) {
                if (plugins.isPresent() && !enabled.contains(plugin)) {
                    errors.add(w.field(plugin), "plugin '" + plugin + "' is not enabled in this tier's plugins");
                    continue;
                }
                errors.attempt(() -> range(
                                w,
                                plugin,
                                w.integer(plugin)
                                        .orElseThrow(
                                                () -> w.error(w.field(plugin), "expected an integer, found nothing")),
                                1,
                                100))
                        .ifPresent(weight -> weights.put(plugin, weight.intValue()));
            }
        }
        DefaultTiers.TOPOLOGY_WEIGHTS.forEach((plugin, weight) -> {
            if (enabled.contains(plugin)) {
                weights.putIfAbsent(plugin, weight); // kube-scheduler's default weight, not 1
            }
        });
        return weights;
    }
}
