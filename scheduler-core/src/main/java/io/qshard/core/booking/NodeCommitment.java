package io.qshard.core.booking;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.NodeState;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one scheduler process accounts on a node when it decides to place a pod there: the node's reported allocatable
 * (what its kubelet admits against), Σ requests of the pods it knows on the node (bound, and assumed by this process),
 * their uids — a booking on the node's Lease for one of these uids is already counted in {@code known} — and when that
 * view was taken. Taken on the decision thread at Reserve, read on the pre-bind thread, possibly much later (a queue
 * wait): bookings are therefore judged as they stood when it was taken ({@link BookingCheck#refusal}). Immutable.
 *
 * @param node          the node's name
 * @param allocatable   the node's reported allocatable
 * @param known         Σ requests of the pods this process knows on the node
 * @param knownUids     the uids of those pods
 * @param takenAtMillis when this view was taken, epoch milliseconds of the process's clock
 */
public record NodeCommitment(
        String node, Resources allocatable, Resources known, Set<String> knownUids, long takenAtMillis) {
    public NodeCommitment {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(allocatable, "allocatable");
        Objects.requireNonNull(known, "known");
        knownUids = Set.copyOf(knownUids);
    }

    /** The commitment of {@code state} taken at {@code nowMillis}: its allocatable, requests and pods (O(pods)). */
    public static NodeCommitment of(NodeState state, long nowMillis) {
        Set<String> uids = new HashSet<>(state.podCount() * 2);
        for (PodRequest p : state.pods()) {
            uids.add(p.uid());
        }
        return new NodeCommitment(state.name(), state.node().allocatable(), state.requested(), uids, nowMillis);
    }
}
