package io.qshard.core.framework;

import io.qshard.core.booking.BookingPort;
import io.qshard.core.model.FitArgs;
import io.qshard.core.model.TopologyArgs;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.volume.VolumeBinder;
import java.time.Clock;
import java.util.Objects;

/**
 * What a plugin factory may use to build a plugin: cluster-wide configuration, the tier's plugin arguments, the
 * injected clock and the runtime's volume binder. Nothing else live: a plugin reads the cluster only through the
 * cycle's snapshot, so a decision is a function of (snapshot, pod). The volume binder is the one collaborator —
 * VolumeBinding must record its PV choices in the scheduler's state at Reserve and write them at PreBind, which no
 * snapshot can do; it takes no part in a decision. Immutable.
 *
 * @param pools    pool parameters of the dynamic resource view
 * @param clock    time source (never {@code System.currentTimeMillis()} in plugins)
 * @param topology the tier's arguments for the topology plugins ({@link Profile#build} sets the tier's)
 * @param fit      the tier's arguments for its resource fit filter ({@link Profile#build} sets the tier's)
 * @param volumes  assumes and binds the volumes VolumeBinding chose ({@link VolumeBinder#NONE} where nothing binds:
 *                 tools, tests)
 * @param evictions the caps on preemption across tiers, the instance's ({@link EvictionCaps#NONE}: none); DefaultPreemption asks it, the runtime records into it — like the volume binder, a
 *                  collaborator that takes no other part in a decision
 * @param bookings  books placements on the nodes' Leases for the NodeBooking plugin ({@link BookingPort#NONE}: bookings
 *                  off) — a collaborator like the volume binder
 */
public record PluginContext(
        PoolConfig pools,
        Clock clock,
        TopologyArgs topology,
        FitArgs fit,
        VolumeBinder volumes,
        EvictionCaps evictions,
        BookingPort bookings) {
    public PluginContext {
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(evictions, "evictions");
        Objects.requireNonNull(bookings, "bookings");
    }

    /** A context without node bookings. */
    public PluginContext(
            PoolConfig pools,
            Clock clock,
            TopologyArgs topology,
            FitArgs fit,
            VolumeBinder volumes,
            EvictionCaps evictions) {
        this(pools, clock, topology, fit, volumes, evictions, BookingPort.NONE);
    }

    /** A context without eviction caps. */
    public PluginContext(PoolConfig pools, Clock clock, TopologyArgs topology, FitArgs fit, VolumeBinder volumes) {
        this(pools, clock, topology, fit, volumes, EvictionCaps.NONE);
    }

    /** A context with these topology and fit arguments and no volume binder. */
    public PluginContext(PoolConfig pools, Clock clock, TopologyArgs topology, FitArgs fit) {
        this(pools, clock, topology, fit, VolumeBinder.NONE);
    }

    /** A context with the default fit arguments and no volume binder. */
    public PluginContext(PoolConfig pools, Clock clock, TopologyArgs topology) {
        this(pools, clock, topology, FitArgs.DEFAULTS);
    }

    /** A context with the default topology and fit arguments and no volume binder. */
    public PluginContext(PoolConfig pools, Clock clock) {
        this(pools, clock, TopologyArgs.DEFAULTS);
    }

    /** Default pools, system UTC clock. */
    public static PluginContext defaults() {
        return new PluginContext(PoolConfig.defaults(), Clock.systemUTC());
    }

    /** This context with a tier's topology arguments. */
    public PluginContext withTopology(TopologyArgs args) {
        return new PluginContext(pools, clock, args, fit, volumes, evictions, bookings);
    }

    /** This context with a tier's fit arguments. */
    public PluginContext withFit(FitArgs args) {
        return new PluginContext(pools, clock, topology, args, volumes, evictions, bookings);
    }

    /** This context with the runtime's volume binder. */
    public PluginContext withVolumes(VolumeBinder binder) {
        return new PluginContext(pools, clock, topology, fit, binder, evictions, bookings);
    }

    /** This context with the instance's eviction caps. */
    public PluginContext withEvictions(EvictionCaps caps) {
        return new PluginContext(pools, clock, topology, fit, volumes, caps, bookings);
    }

    /** This context with the runtime's node bookings. */
    public PluginContext withBookings(BookingPort port) {
        return new PluginContext(pools, clock, topology, fit, volumes, evictions, port);
    }

    /** The room calculator for these pools. */
    public NodeRoom nodeRoom() {
        return new NodeRoom(pools);
    }
}
