package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.VolumeDecision;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-flight ledger of the tier schedulers of one process: a placement assumed by one tier reaches every other
 * tier before that tier decides again, so two tiers never book the same room on a node (docs/architecture.md, "The usage view": "placements by any
 * tier or shard enter every other scheduler's view at once"). Each decision runs under one process-wide lock; the
 * deciding scheduler first applies what its peers told it, then decides, assumes and tells its peers, all under the
 * lock. Each scheduler still owns its state: peers' placements arrive through its inbox. Across processes the apiserver
 * (atomic bindings) and kubelet admission remain the backstop. Volume decisions (the PVs VolumeBinding chose, the
 * claims it provisions on a node) are shared the same way, as kube-scheduler's one assume cache: no tier of the process
 * chooses a PV another tier has just chosen; across processes the volume binder's resourceVersion preconditions are
 * the backstop (the loser's PreBind gets a 409 and its pod is retried). Thread-safe.
 */
public final class PlacementLedger {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<TierScheduler> members = new CopyOnWriteArrayList<>();

    /** Adds a scheduler; call before it starts. */
    void join(TierScheduler scheduler) {
        members.add(scheduler);
    }

    /** The lock every member decides under. */
    ReentrantLock lock() {
        return lock;
    }

    /** {@code from} assumed {@code bound} (nodeName set): every other member accounts it. */
    void assumed(TierScheduler from, PodRequest bound) {
        for (TierScheduler m : members) {
            if (m != from) {
                m.peerAssumed(bound);
            }
        }
    }

    /** {@code from} gave up an assumption (binding failed or pod gone): every other member drops it. */
    void forgotten(TierScheduler from, String uid) {
        for (TierScheduler m : members) {
            if (m != from) {
                m.peerForgot(uid);
            }
        }
    }

    /** {@code from} assumed a volume decision at Reserve: every other member assumes it too. */
    void volumesAssumed(TierScheduler from, VolumeDecision decision) {
        for (TierScheduler m : members) {
            if (m != from) {
                m.peerAssumedVolumes(decision);
            }
        }
    }

    /** {@code from} took a volume decision back at Unreserve: every other member forgets it. */
    void volumesForgotten(TierScheduler from, VolumeDecision decision) {
        for (TierScheduler m : members) {
            if (m != from) {
                m.peerForgotVolumes(decision);
            }
        }
    }
}
