package io.qshard.core.volume;

import io.qshard.core.model.PodRequest;
import java.util.Optional;

/**
 * The VolumeBinding plugin's collaborator in the runtime: it records a decision's PV choices in the scheduler's state
 * (so the next decision does not pick the same PV, as kube-scheduler's assume cache does), and writes them to the API
 * and waits until kube-controller-manager's PV controller has bound every claim (kube's {@code BindPodVolumes}).
 * Handed to plugins through {@link io.qshard.core.framework.PluginContext}: the one live thing there, because binding
 * volumes is a write plugins cannot do through the snapshot. Decisions still read the cluster only through the
 * snapshot. Implementations must be thread-safe as stated per method.
 */
public interface VolumeBinder {
    /**
     * Decision thread, at Reserve: the decision's PVs count as bound to their claims, and its provisioned claims as
     * annotated with its node, in every snapshot from now on — until {@link #forget} or until the informer shows the
     * API's own answer.
     */
    void assume(VolumeDecision decision);

    /** Decision thread, at Unreserve: undoes {@link #assume}; idempotent; must not throw. */
    void forget(VolumeDecision decision);

    /**
     * Pre-bind thread (blocks): binds each chosen PV to its claim, annotates each claim to provision with the node,
     * then waits until every one of those claims is bound, at most the runtime's volume bind timeout.
     *
     * @return empty when every claim is bound; otherwise why not (the pod's binding fails and it is retried)
     */
    Optional<String> bind(PodRequest pod, VolumeDecision decision);

    /** No binder: assumptions are not recorded, and binding refuses (tools that never bind, tests). */
    VolumeBinder NONE = new VolumeBinder() {
        @Override
        public void assume(VolumeDecision decision) {}

        @Override
        public void forget(VolumeDecision decision) {}

        @Override
        public Optional<String> bind(PodRequest pod, VolumeDecision decision) {
            return Optional.of("this process has no volume binder: claims of pod " + pod.key() + " left unbound");
        }
    };
}
