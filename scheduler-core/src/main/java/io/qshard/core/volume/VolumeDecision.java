package io.qshard.core.volume;

import java.util.List;
import java.util.Objects;

/**
 * What binding a pod's unbound WaitForFirstConsumer claims takes on the node chosen for it (kube's
 * {@code PodVolumes}): static PVs to bind to claims, and claims to provision there. Immutable.
 *
 * @param podUid     the pod
 * @param node       the chosen node
 * @param bindings   each static PV chosen, with its claim
 * @param provisions claims to be provisioned dynamically on {@code node} (selected-node annotation)
 */
public record VolumeDecision(String podUid, String node, List<Binding> bindings, List<VolumeClaim> provisions) {
    public VolumeDecision {
        Objects.requireNonNull(podUid, "podUid");
        Objects.requireNonNull(node, "node");
        bindings = List.copyOf(bindings);
        provisions = List.copyOf(provisions);
    }

    /**
     * A static PV chosen for a claim.
     *
     * @param volume the PV as the decision saw it
     * @param claim  the claim to bind it to
     */
    public record Binding(PersistentVolume volume, VolumeClaim claim) {
        public Binding {
            Objects.requireNonNull(volume, "volume");
            Objects.requireNonNull(claim, "claim");
        }
    }

    /** Whether there is nothing to bind or provision. */
    public boolean empty() {
        return bindings.isEmpty() && provisions.isEmpty();
    }
}
