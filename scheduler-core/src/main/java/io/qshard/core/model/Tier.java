package io.qshard.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A quality tier: which pods belong to it (by {@code schedulerName}), how important they are, which
 * capacity they draw on, and how its schedulers filter and score. Immutable; validated by the config
 * loader, which names the offending field.
 *
 * @param name          short name, e.g. {@code prod}
 * @param schedulerName {@code spec.schedulerName} that selects this tier, e.g. {@code qshard-prod}
 * @param priority      PriorityClass value; higher is more important (prod 9000 … free 3000)
 * @param poolRule      capacity the tier draws on and how its pods are sized
 * @param plugins       enabled plugins by registry name, in evaluation order (filters first, cheap first)
 * @param scoreWeights  weight per enabled score plugin, 1..100; plugins missing here weigh 1
 * @param shards        scheduler shards (node partitions) for this tier, ≥ 1
 * @param topology      arguments of the topology plugins (inter-pod affinity, topology spread)
 * @param fit           arguments of the resource fit filter (ignored extended resources)
 */
public record Tier(
        String name,
        String schedulerName,
        int priority,
        PoolRule poolRule,
        List<String> plugins,
        Map<String, Integer> scoreWeights,
        int shards,
        TopologyArgs topology,
        FitArgs fit) {

    public Tier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedulerName, "schedulerName");
        Objects.requireNonNull(poolRule, "poolRule");
        plugins = List.copyOf(plugins);
        scoreWeights = Map.copyOf(scoreWeights);
        topology = topology == null ? TopologyArgs.DEFAULTS : topology;
        fit = fit == null ? FitArgs.DEFAULTS : fit;
    }

    /** A tier with the default fit arguments. */
    public Tier(
            String name,
            String schedulerName,
            int priority,
            PoolRule poolRule,
            List<String> plugins,
            Map<String, Integer> scoreWeights,
            int shards,
            TopologyArgs topology) {
        this(name, schedulerName, priority, poolRule, plugins, scoreWeights, shards, topology, FitArgs.DEFAULTS);
    }

    /** A tier with the default topology and fit arguments. */
    public Tier(
            String name,
            String schedulerName,
            int priority,
            PoolRule poolRule,
            List<String> plugins,
            Map<String, Integer> scoreWeights,
            int shards) {
        this(name, schedulerName, priority, poolRule, plugins, scoreWeights, shards, TopologyArgs.DEFAULTS);
    }

    /** This tier with {@code n} shards, everything else kept. */
    public Tier withShards(int n) {
        return new Tier(name, schedulerName, priority, poolRule, plugins, scoreWeights, n, topology, fit);
    }

    /** Weight of a score plugin in this tier (1 when not configured). */
    public int weightOf(String plugin) {
        return scoreWeights.getOrDefault(plugin, 1);
    }
}
