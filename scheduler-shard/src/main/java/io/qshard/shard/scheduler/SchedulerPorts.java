package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.booking.NodeBookings;
import io.qshard.core.model.Tier;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.binder.PodBinder;
import io.qshard.shard.preemption.ApiPreemptionWriter;
import io.qshard.shard.preemption.PreemptionWriter;
import io.qshard.shard.shardmap.AckWriter;
import io.qshard.shard.shardmap.MapKeeper;
import io.qshard.shard.shardmap.ShardAcks;
import io.qshard.shard.shardmap.ShardMapMaintainer;
import io.qshard.shard.status.PodStatusReporter;
import io.qshard.shard.status.StatusReporter;
import io.qshard.shard.volume.ApiVolumeBinder;
import io.qshard.shard.volume.VolumeWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link TierScheduler} writes to the cluster through: bindings, pod status, shard-map acknowledgements,
 * (shard 0 of a sharded tier) the map's upkeep, and the volume bindings VolumeBinding decided. Injected, so the runtime
 * has unit tests without an apiserver; {@link #forApi} builds the real ones. The scheduler closes them when it stops. Immutable.
 *
 * @param binder   writes bindings
 * @param reporter writes Events and the PodScheduled condition
 * @param acks     acknowledges shard maps; null for an unsharded tier
 * @param keeper   keeps the tier's shard map; null except for shard 0 of a sharded tier
 * @param volumes  binds the PVs and provisionings VolumeBinding chose and waits for the PV controller (PreBind)
 * @param preemption deletes the victims of a preemption and writes the nomination
 * @param bookings  the process's node bookings (shared by its instances), or null when bookings are off
 */
public record SchedulerPorts(
        PodBinder binder,
        StatusReporter reporter,
        AckWriter acks,
        MapKeeper keeper,
        VolumeWriter volumes,
        PreemptionWriter preemption,
        NodeBookings bookings) {
    /** How often the volume binder looks whether the PV controller has bound the claims. */
    static final Duration VOLUME_POLL = Duration.ofMillis(500);

    public SchedulerPorts {
        Objects.requireNonNull(binder, "binder");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(preemption, "preemption");
    }

    /** Ports without node bookings. */
    public SchedulerPorts(
            PodBinder binder,
            StatusReporter reporter,
            AckWriter acks,
            MapKeeper keeper,
            VolumeWriter volumes,
            PreemptionWriter preemption) {
        this(binder, reporter, acks, keeper, volumes, preemption, null);
    }

    /** These ports booking placements through {@code shared} (null: bookings off). */
    public SchedulerPorts withBookings(NodeBookings shared) {
        return new SchedulerPorts(binder, reporter, acks, keeper, volumes, preemption, shared);
    }

    /** Ports that preempt nothing (tests without an apiserver). */
    public SchedulerPorts(
            PodBinder binder, StatusReporter reporter, AckWriter acks, MapKeeper keeper, VolumeWriter volumes) {
        this(binder, reporter, acks, keeper, volumes, PreemptionWriter.NONE);
    }

    /** Ports without a volume writer: pods whose claims need binding fail their binding (tests without an apiserver). */
    public SchedulerPorts(PodBinder binder, StatusReporter reporter, AckWriter acks, MapKeeper keeper) {
        this(binder, reporter, acks, keeper, VolumeWriter.NONE);
    }

    /** The ports of one instance (tier, shard) through the API client. */
    public static SchedulerPorts forApi(
            KubernetesClient client, Tier tier, int shard, SchedulerSettings settings, Clock clock) {
        boolean sharded = tier.shards() > 1;
        return new SchedulerPorts(
                new Binder(client, settings.bindConcurrency(), bindBatch(settings)),
                new PodStatusReporter(
                        client,
                        tier.schedulerName(),
                        clock,
                        settings.scheduledEventsPerSecond(),
                        settings.failedEventsPerSecond()),
                sharded ? new ShardAcks(client, clock) : null,
                sharded && shard == 0 ? new ShardMapMaintainer(client, tier) : null,
                new ApiVolumeBinder(client, settings.volumeBindTimeout(), VOLUME_POLL, clock),
                new ApiPreemptionWriter(client, tier.schedulerName(), clock));
    }

    /**
     * Bindings decided ahead, waiting in the binder for a slot (a quarter of the slots), and bindings to let complete
     * before deciding again when all are taken: the slots stay full while the decision thread sleeps.
     */
    static int bindBatch(SchedulerSettings settings) {
        return Math.max(1, settings.bindConcurrency() / 4);
    }
}
