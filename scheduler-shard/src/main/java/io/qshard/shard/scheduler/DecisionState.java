package io.qshard.shard.scheduler;

import io.qshard.core.model.Node;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.shard.usage.UsageTracker;
import java.util.Map;

/**
 * What one scheduler instance's decision thread owns, in one place: the cluster state it decides on, its queue, the
 * placements it assumed and the informer has not confirmed yet, every node the informer has (active in this shard or
 * not), and the usage view. Handed whole to {@link ShardHandoff}, which runs on that thread ({@link CacheReservation}
 * gets its cluster state and assumed map). Not thread-safe: the decision thread only (the queue alone is
 * thread-safe).
 *
 * @param cluster the nodes of this shard with their bound and assumed pods
 * @param queue   the pending pods this instance schedules
 * @param assumed uid → node of pods assumed here whose binding the informer has not confirmed yet
 * @param nodes   every node the informer has, by name (for nodes this shard acquires later)
 * @param usage   the usage view: reports, predictions, the hot-node rule
 */
record DecisionState(
        ClusterState cluster,
        SchedulingQueue queue,
        Map<String, String> assumed,
        Map<String, Node> nodes,
        UsageTracker usage) {}
