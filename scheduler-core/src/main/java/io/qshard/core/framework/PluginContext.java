package io.qshard.core.framework;

import java.time.Clock;
import java.util.Objects;

import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;

/**
 * What a plugin factory may use to build a plugin: cluster-wide configuration, the injected clock and the
 * runtime's views. Immutable.
 *
 * @param pools    pool parameters of the dynamic resource view
 * @param clock    time source (never {@code System.currentTimeMillis()} in plugins)
 * @param hotspots per-node hotspot predictions ({@link HotspotView#NONE} until a usage view provides them)
 */
public record PluginContext(PoolConfig pools, Clock clock, HotspotView hotspots) {
    public PluginContext {
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(hotspots, "hotspots");
    }

    /** A context without hotspot predictions. */
    public PluginContext(PoolConfig pools, Clock clock) {
        this(pools, clock, HotspotView.NONE);
    }

    /** Default pools, system UTC clock. */
    public static PluginContext defaults() {
        return new PluginContext(PoolConfig.defaults(), Clock.systemUTC());
    }

    /** The room calculator for these pools. */
    public NodeRoom nodeRoom() {
        return new NodeRoom(pools);
    }
}
