package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.volume.VolumeBinder;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.shard.volume.VolumeWriter;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The VolumeBinding plugin's binder in a tier scheduler: assumptions go into the instance's {@link ClusterState} (on
 * the decision thread, where Reserve and Unreserve run), so the next snapshot shows the chosen PVs as taken, and to the
 * other tiers of the process through the placement ledger (as pod placements do), so that no tier of the process
 * chooses a PV or provisioning another tier has just chosen; the binding goes to the API through the instance's
 * {@link VolumeWriter} (on the pre-bind executor), fenced by the runtime's view of the pod and of its lease.
 * Thread-safety: as {@link VolumeBinder} states per method.
 */
final class StateVolumeBinder implements VolumeBinder {
    private final ClusterState state;
    private final VolumeWriter writer;
    private final Function<PodRequest, VolumeWriter.Fence> fences;
    private final Consumer<VolumeDecision> peersAssume;
    private final Consumer<VolumeDecision> peersForget;

    /**
     * @param fences      the fence of one pod's PreBind (thread-safe)
     * @param peersAssume tells the other tiers of this process about a decision's assumptions (decision thread)
     * @param peersForget tells them they were taken back (decision thread)
     */
    StateVolumeBinder(
            ClusterState state,
            VolumeWriter writer,
            Function<PodRequest, VolumeWriter.Fence> fences,
            Consumer<VolumeDecision> peersAssume,
            Consumer<VolumeDecision> peersForget) {
        this.state = state;
        this.writer = writer;
        this.fences = fences;
        this.peersAssume = peersAssume;
        this.peersForget = peersForget;
    }

    @Override
    public void assume(VolumeDecision decision) {
        state.assumeVolumes(decision);
        if (!decision.empty()) {
            peersAssume.accept(decision);
        }
    }

    @Override
    public void forget(VolumeDecision decision) {
        state.forgetVolumes(decision);
        if (!decision.empty()) {
            peersForget.accept(decision);
        }
    }

    @Override
    public Optional<String> bind(PodRequest pod, VolumeDecision decision) {
        return writer.bind(pod, decision, fences.apply(pod));
    }
}
