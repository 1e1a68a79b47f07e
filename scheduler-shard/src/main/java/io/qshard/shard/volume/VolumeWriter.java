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
    /** @return empty once every claim of the decision is bound; otherwise why not */
    Optional<String> bind(PodRequest pod, VolumeDecision decision);

    /** Refuses every decision (a runtime without an apiserver, tests). */
    VolumeWriter NONE = (pod, d) ->
            Optional.of("this scheduler has no volume writer: claims of pod " + pod.key() + " left unbound");
}
