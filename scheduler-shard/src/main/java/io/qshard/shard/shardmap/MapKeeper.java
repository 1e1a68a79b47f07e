package io.qshard.shard.shardmap;

import java.time.Instant;
import java.util.Map;

/**
 * Shard 0's upkeep of its tier's shard map: new nodes into a shard, deleted ones out ({@link ShardMapMaintainer}).
 * Not thread-safe: shard 0's decision thread.
 */
public interface MapKeeper extends AutoCloseable {
    /**
     * @param current the map as last seen (null: none seen yet)
     * @param weights every node of the cluster → its weight (allocatable cpu, milli-cores)
     * @param now     the clock
     */
    void maintain(ShardMapWatcher.Update current, Map<String, Long> weights, Instant now);

    @Override
    void close();
}
