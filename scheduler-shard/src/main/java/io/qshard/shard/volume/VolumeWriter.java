package io.qshard.shard.volume;

import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.VolumeDecision;
import java.util.Optional;

/**
 * Writes a volume decision to the cluster and waits until its claims are bound (the API half of the VolumeBinding
 * plugin's {@link io.qshard.core.volume.VolumeBinder}; {@link ApiVolumeBinder} through the apiserver). Called on the
 * pre-bind executor, blocking; thread-safe.
 */
@FunctionalInterface
public interface VolumeWriter {
    /**
     * @param fence asked before each write and each look while waiting: once it gives a reason, nothing more is
     *              written and the call returns that reason
     * @return empty once every claim of the decision is bound; otherwise why not
     */
    Optional<String> bind(PodRequest pod, VolumeDecision decision, Fence fence);

    /** Refuses every decision (a runtime without an apiserver, tests). */
    VolumeWriter NONE = (pod, d, fence) ->
            Optional.of("this scheduler has no volume writer: claims of pod " + pod.key() + " left unbound");

    /**
     * Whether a PreBind may go on: the runtime's view of the pod and of its lease (kube-scheduler 1.20's
     * {@code checkBindings} stops once the pod is gone; a scheduler that lost its lease writes nothing more).
     * Cheap (no API call), thread-safe.
     */
    @FunctionalInterface
    interface Fence {
        /** Never stops (tools, tests). */
        Fence NEVER = () -> null;

        /** Why to stop now (the pod was deleted, leadership was lost), or null to go on. */
        String stopReason();
    }
}
