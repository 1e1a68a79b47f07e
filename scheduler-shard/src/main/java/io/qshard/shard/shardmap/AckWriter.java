package io.qshard.shard.shardmap;

import io.qshard.core.shard.ShardPhase;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a shard leader's acknowledgement of a shard map ({@link ShardAcks} writes {@code ShardMap.status.acks}).
 * Thread-safe.
 */
public interface AckWriter extends AutoCloseable {
    /**
     * @param active the nodes the shard places on once acknowledged
     * @return completes true when written, false when the write failed (the caller tries again later)
     */
    CompletableFuture<Boolean> ack(
            String tier, int shard, long epoch, ShardPhase phase, String holder, Set<String> active);

    @Override
    void close();
}
