package io.qshard.shard.scheduler;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.volume.VolumeBinder;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.shard.volume.VolumeWriter;
import java.util.Optional;

/**
 * The VolumeBinding plugin's binder in a tier scheduler: assumptions go into the instance's {@link ClusterState} (on
 * the decision thread, where Reserve and Unreserve run), so the next snapshot shows the chosen PVs as taken; the
 * binding goes to the API through the instance's {@link VolumeWriter} (on the pre-bind executor). Thread-safety: as
 * {@link VolumeBinder} states per method.
 */
final class StateVolumeBinder implements VolumeBinder {
    private final ClusterState state;
    private final VolumeWriter writer;

    StateVolumeBinder(ClusterState state, VolumeWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    @Override
    public void assume(VolumeDecision decision) {
        state.assumeVolumes(decision);
    }

    @Override
    public void forget(VolumeDecision decision) {
        state.forgetVolumes(decision);
    }

    @Override
    public Optional<String> bind(PodRequest pod, VolumeDecision decision) {
        return writer.bind(pod, decision);
    }
}
