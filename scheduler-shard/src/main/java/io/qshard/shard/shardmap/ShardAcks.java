package io.qshard.shard.shardmap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.qshard.core.shard.ShardPhase;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.write.Patches;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a shard leader's acknowledgement into {@code ShardMap.status.acks[<shard>]} — a merge patch of its own key,
 * so the leaders of different shards never conflict: the epoch and phase it acts on, its identity and the nodes it
 * places on. The rebalance command waits on these; an audit reads them. Thread-safe (writes on one thread).
 */
public final class ShardAcks implements AckWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardAcks.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qshard-shard-acks");
        t.setDaemon(true);
        return t;
    });

    public ShardAcks(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** @return completes true when written, false when the write failed (the caller tries again later) */
    @Override
    public CompletableFuture<Boolean> ack(
            String tier, int shard, long epoch, ShardPhase phase, String holder, Set<String> active) {
        String nodes = active.stream().sorted().map(n -> "\"" + n + "\"").collect(Collectors.joining(","));
        String patch = "{\"status\":{\"acks\":{\"" + shard + "\":{\"epoch\":" + epoch + ",\"phase\":\""
                + ShardMaps.phaseName(phase) + "\",\"holder\":\"" + holder + "\",\"time\":\"" + clock.instant()
                + "\",\"activeNodes\":[" + nodes + "]}}}}";
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        Patches.status(client, Patches.stub(new ShardMap(), null, tier), PatchType.JSON_MERGE, patch);
                        return true;
                    } catch (KubernetesClientException e) {
                        LOG.warn(
                                "tier {} shard {}: cannot acknowledge epoch {} ({}): {}",
                                tier,
                                shard,
                                epoch,
                                phase,
                                e.getMessage());
                        return false;
                    }
                },
                writer);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
