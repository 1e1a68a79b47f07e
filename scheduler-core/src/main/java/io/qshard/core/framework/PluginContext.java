package io.qshard.core.framework;

import io.qshard.core.model.TopologyArgs;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * What a plugin factory may use to build a plugin: cluster-wide configuration, the tier's plugin arguments and the
 * injected clock. Nothing live: a plugin reads the cluster only through the cycle's snapshot, so a decision is a
 * function of (snapshot, pod). Immutable.
 *
 * @param pools    pool parameters of the dynamic resource view
 * @param clock    time source (never {@code System.currentTimeMillis()} in plugins)
 * @param topology the tier's arguments for the topology plugins ({@link Profile#build} sets the tier's)
 */
public record PluginContext(PoolConfig pools, Clock clock, TopologyArgs topology) {
    public PluginContext {
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(topology, "topology");
    }

    /** A context with the default topology arguments. */
    public PluginContext(PoolConfig pools, Clock clock) {
        this(pools, clock, TopologyArgs.DEFAULTS);
    }

    /** Default pools, system UTC clock. */
    public static PluginContext defaults() {
        return new PluginContext(PoolConfig.defaults(), Clock.systemUTC());
    }

    /** This context with a tier's topology arguments. */
    public PluginContext withTopology(TopologyArgs args) {
        return new PluginContext(pools, clock, args);
    }

    /** The room calculator for these pools. */
    public NodeRoom nodeRoom() {
        return new NodeRoom(pools);
    }
}
