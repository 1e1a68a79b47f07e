package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.core.shard.PodOwnership;
import io.qshard.core.shard.ShardMapView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One tier instance's side of sharding: which nodes it may place on (its shard's active set for the map's phase) and
 * which pending pods it owns ({@link PodOwnership}). An unsharded tier (one shard and no map) owns everything. A
 * sharded instance that has not seen a valid map yet owns no node: it places nothing rather than guess. Not
 * thread-safe: the instance's decision thread.
 */
final class ShardGate {
    /** What a new map changes: nodes to drop from the instance's state, and nodes to take on once acknowledged. */
    record Transition(Set<String> release, Set<String> acquire) {}

    private final String tier;
    private final int shard;
    private final int configuredShards;
    private final Duration rotation;
    private ShardMapView map;
    private Set<String> active = Set.of();

    ShardGate(String tier, int shard, int configuredShards, Duration rotation) {
        this.tier = tier;
        this.shard = shard;
        this.configuredShards = configuredShards;
        this.rotation = rotation;
    }

    /**
     * Whether the tier is sharded: more than one shard configured. A tier configured with one shard ignores any
     * ShardMap (nobody maintains it for such a tier, so obeying it would strand new nodes).
     */
    boolean sharded() {
        return configuredShards > 1;
    }

    int shard() {
        return shard;
    }

    String tier() {
        return tier;
    }

    /** @return the map in force, or null */
    ShardMapView map() {
        return map;
    }

    /** Whether this instance may place on {@code node} now. */
    boolean isActive(String node) {
        return !sharded() || active.contains(node);
    }

    /** @return the nodes this instance places on (meaningful only when sharded) */
    Set<String> active() {
        return active;
    }

    /** Whether this instance owns the pending {@code pod} at {@code now}. */
    boolean owns(PodRequest pod, Instant now) {
        if (!sharded()) {
            return true;
        }
        int shards = map != null ? map.ownershipShards() : configuredShards;
        return PodOwnership.owner(pod.uid(), pod.creationTime(), now, shards, rotation) == shard;
    }

    /**
     * Takes a new map: the active set shrinks at once by what is released; what is acquired is returned for the caller
     * to add after it has acknowledged it (so an audit of acknowledgements always covers what is active).
     */
    Transition apply(ShardMapView next) {
        map = next;
        Set<String> wanted = next.activeNodes(shard);
        Set<String> release = new HashSet<>(active);
        release.removeAll(wanted);
        Set<String> acquire = new HashSet<>(wanted);
        acquire.removeAll(active);
        Set<String> kept = new HashSet<>(active);
        kept.retainAll(wanted);
        active = Set.copyOf(kept);
        return new Transition(Set.copyOf(release), Set.copyOf(acquire));
    }

    /** Adds acknowledged nodes to the active set. */
    void activate(Set<String> nodes) {
        Set<String> next = new HashSet<>(active);
        if (map != null) {
            Set<String> allowed = map.activeNodes(shard); // a later map may have taken some back meanwhile
            nodes.stream().filter(allowed::contains).forEach(next::add);
        }
        active = Set.copyOf(next);
    }
}
