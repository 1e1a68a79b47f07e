package io.qshard.core.shard;

/**
 * Where a tier's shard map is in an epoch change (docs/architecture.md, "Shards"): the two-step change releases
 * moving nodes everywhere before anyone acquires them, so no node is active in two shards of a tier at any instant.
 */
public enum ShardPhase {
    /** The assignment is in force. */
    STABLE,
    /** Step one: every shard keeps only the nodes it has in both the assignment and the target. */
    RELEASING,
    /** Step two (after every shard acknowledged the release): every shard takes its target. */
    ACQUIRING
}
