package io.qshard.shard.shardmap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.qshard.core.model.Tier;
import io.qshard.core.shard.Rebalancer;
import io.qshard.core.shard.ShardMapView;
import io.qshard.core.shard.ShardPhase;
import io.qshard.kube.api.ShardMap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep of a sharded tier's map, done by the leader of its shard 0: creates the map when there is none (epoch 1,
 * the nodes balanced over the configured shards), and — in the STABLE phase only, never during an epoch change — puts
 * new nodes on the least-loaded shard and drops deleted ones. A node not in the map is active nowhere, so adding it to
 * one shard is safe without a two-step change. Writes use the map's resourceVersion (optimistic concurrency): a
 * conflict with the rebalance command is retried at the next round. At most one write at a time, every 2 s. Not
 * thread-safe: the decision thread of shard 0.
 */
public final class ShardMapMaintainer implements MapKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(ShardMapMaintainer.class);
    private static final Duration EVERY = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final Tier tier;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qshard-shardmap-upkeep");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean writing;
    private Instant next = Instant.EPOCH;

    public ShardMapMaintainer(KubernetesClient client, Tier tier) {
        this.client = client;
        this.tier = tier;
    }

    /**
     * @param current the map as last seen (null: none seen yet)
     * @param weights every node of the cluster → its weight (allocatable cpu)
     * @param now     the clock
     */
    @Override
    public void maintain(ShardMapWatcher.Update current, Map<String, Long> weights, Instant now) {
        if (writing || now.isBefore(next) || weights.isEmpty()) {
            return;
        }
        next = now.plus(EVERY);
        if (current == null) {
            Map<Integer, Set<String>> all = Map.of(0, new HashSet<>(weights.keySet()));
            ShardMapView v = new ShardMapView(
                    tier.name(),
                    tier.shards(),
                    1,
                    ShardPhase.STABLE,
                    Rebalancer.plan(all, weights, tier.shards(), Integer.MAX_VALUE)
                            .target(),
                    Map.of());
            write(v, null, "created: " + weights.size() + " nodes over " + tier.shards() + " shards");
            return;
        }
        ShardMapView v = current.view();
        if (v.phase() != ShardPhase.STABLE) {
            return;
        }
        Set<String> mapped = v.nodes();
        Set<String> added = new TreeSet<>(weights.keySet());
        added.removeAll(mapped);
        Set<String> removed = new HashSet<>(mapped);
        removed.removeAll(weights.keySet());
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        Map<Integer, Set<String>> next = new HashMap<>();
        v.assignment().forEach((s, nodes) -> {
            Set<String> keep = new HashSet<>(nodes);
            keep.removeAll(removed);
            next.put(s, keep);
        });
        for (String n : added) {
            next.computeIfAbsent(Rebalancer.leastLoaded(next, v.shards(), weights), k -> new HashSet<>())
                    .add(n);
        }
        write(
                v.withAssignment(next),
                current.resourceVersion(),
                added.size() + " new nodes assigned, " + removed.size() + " deleted nodes dropped");
    }

    private void write(ShardMapView v, String resourceVersion, String what) {
        writing = true;
        writer.execute(() -> {
            try {
                ShardMap m = ShardMaps.toApi(v);
                if (resourceVersion == null) {
                    client.resources(ShardMap.class).resource(m).create();
                } else {
                    m.getMetadata().setResourceVersion(resourceVersion);
                    client.resources(ShardMap.class).resource(m).update();
                }
                LOG.info("tier {} shard map {}", tier.name(), what);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    LOG.warn("tier {}: cannot write the shard map: {}", tier.name(), e.getMessage());
                }
            } finally {
                writing = false;
            }
        });
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
