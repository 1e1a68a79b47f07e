package io.qshard.core.shard;

import java.time.Duration;
import java.time.Instant;

/**
 * Which shard of a tier owns a pending pod, computed from the pod alone so every instance agrees without writing:
 * {@code (hash(uid) + ⌊age / rotation⌋) mod shards}. A pod its shard cannot place moves to the next shard after each
 * rotation period, so it tries every shard in turn. Safety does not rest on this agreement: shards are node-disjoint
 * and a second binding of a bound pod is refused, so two instances disagreeing for a moment (clock skew at a
 * rotation boundary) cost a refused binding, never an overcommit. Pure and thread-safe.
 */
public final class PodOwnership {
    /** Default rotation: a pod its shard cannot place tries the next one after 15 s. */
    public static final Duration DEFAULT_ROTATION = Duration.ofSeconds(15);

    private PodOwnership() {}

    /**
     * @param uid      the pod's uid
     * @param created  its creation time
     * @param now      the instance's clock
     * @param shards   the tier's shard count, ≥ 1
     * @param rotation how long a shard owns a pod before the next does, &gt; 0
     * @return the owning shard, 0..shards-1
     */
    public static int owner(String uid, Instant created, Instant now, int shards, Duration rotation) {
        if (shards <= 1) {
            return 0;
        }
        long age = Math.max(0, Duration.between(created, now).toMillis());
        long turns = age / Math.max(1, rotation.toMillis());
        return (int) Math.floorMod(spread(uid) + turns, shards);
    }

    /** @return when the pod's owner changes next */
    public static Instant nextRotation(Instant created, Instant now, Duration rotation) {
        long age = Math.max(0, Duration.between(created, now).toMillis());
        long r = Math.max(1, rotation.toMillis());
        return created.plusMillis((age / r + 1) * r);
    }

    /** A hash of the uid that spreads similar uids (FNV-1a, then a finaliser). */
    private static long spread(String uid) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < uid.length(); i++) {
            h ^= uid.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }
}
