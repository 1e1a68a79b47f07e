package io.qshard.core.replicas;

import io.qshard.core.model.PodRequest;
import io.qshard.core.usage.Usage;
import java.time.Instant;
import java.util.Comparator;

/**
 * One hosted workload as a cycle sees it. Immutable.
 *
 * @param key         the workload
 * @param uid         its uid
 * @param tier        its pods' tier (a borrowing tier: mid, batch or free)
 * @param template    its pod template as a pending pod (uid, name are the workload's; nodeName null)
 * @param spec        min and max
 * @param book        its bookkeeping ({@link Bookkeeping#NONE} when not adopted)
 * @param current     C, spec.replicas
 * @param bound       B, its pods bound and not terminating
 * @param pending     P, its pods pending plus max(0, C − B − pending) not yet created, ≥ 0
 * @param perReplica  ū, the observed usage per bound replica (floored; the request × estimate factor without reports)
 * @param created     its creation time (orders equal priorities)
 */
public record HostedWorkload(
        WorkloadKey key,
        String uid,
        String tier,
        PodRequest template,
        HostingSpec spec,
        Bookkeeping book,
        int current,
        int bound,
        int pending,
        Usage perReplica,
        Instant created) {

    /**
     * Most important first: tier priority is the caller's (it sorts by {@code tierRank} first), then template pod
     * priority descending, then creation ascending, then key.
     */
    public static Comparator<HostedWorkload> importance(java.util.function.ToIntFunction<String> tierRank) {
        return Comparator.<HostedWorkload>comparingInt(w -> tierRank.applyAsInt(w.tier()))
                .thenComparing(Comparator.<HostedWorkload>comparingInt(
                                w -> w.template().priority())
                        .reversed())
                .thenComparing(HostedWorkload::created)
                .thenComparing(w -> w.key().toString());
    }
}
