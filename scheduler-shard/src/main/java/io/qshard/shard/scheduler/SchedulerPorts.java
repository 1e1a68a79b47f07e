package io.qshard.shard.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.core.model.Tier;
import io.qshard.shard.binder.Binder;
import io.qshard.shard.binder.PodBinder;
import io.qshard.shard.shardmap.AckWriter;
import io.qshard.shard.shardmap.MapKeeper;
import io.qshard.shard.shardmap.ShardAcks;
import io.qshard.shard.shardmap.ShardMapMaintainer;
import io.qshard.shard.status.PodStatusReporter;
import io.qshard.shard.status.StatusReporter;
import java.time.Clock;
import java.util.Objects;

/**
 * What a {@link TierScheduler} writes to the cluster through: bindings, pod status, shard-map acknowledgements and
 * (shard 0 of a sharded tier) the map's upkeep. Injected, so the runtime has unit tests without an apiserver;
 * {@link #forApi} builds the real ones. The scheduler closes them when it stops. Immutable.
 *
 * @param binder   writes bindings
 * @param reporter writes Events and the PodScheduled condition
 * @param acks     acknowledges shard maps; null for an unsharded tier
 * @param keeper   keeps the tier's shard map; null except for shard 0 of a sharded tier
 */
public record SchedulerPorts(PodBinder binder, StatusReporter reporter, AckWriter acks, MapKeeper keeper) {
    public SchedulerPorts {
        Objects.requireNonNull(binder, "binder");
        Objects.requireNonNull(reporter, "reporter");
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
                sharded && shard == 0 ? new ShardMapMaintainer(client, tier) : null);
    }

    /**
     * Bindings decided ahead, waiting in the binder for a slot (a quarter of the slots), and bindings to let complete
     * before deciding again when all are taken: the slots stay full while the decision thread sleeps.
     */
    static int bindBatch(SchedulerSettings settings) {
        return Math.max(1, settings.bindConcurrency() / 4);
    }
}
