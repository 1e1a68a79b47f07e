package io.qshard.core.framework;

import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import java.time.Clock;
import java.util.Objects;

/**
 * What a plugin factory may use to build a plugin: cluster-wide configuration and the injected clock. Nothing live:
 * a plugin reads the cluster only through the cycle's snapshot, so a decision is a function of (snapshot, pod).
 * Immutable.
 *
 * @param pools pool parameters of the dynamic resource view
 * @param clock time source (never {@code System.currentTimeMillis()} in plugins)
 */
public record PluginContext(PoolConfig pools, Clock clock) {
    public PluginContext {
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(clock, "clock");
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
