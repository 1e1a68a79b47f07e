package io.qshard.core.volume;

import io.qshard.core.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What scheduling reads of a PersistentVolume. Immutable.
 *
 * @param name             its name
 * @param storageClassName its class: the {@code volume.beta.kubernetes.io/storage-class} annotation when present, else
 *                         {@code spec.storageClassName}; "" for none
 * @param capacityBytes    {@code spec.capacity.storage} in bytes, ≥ 0
 * @param accessModes      {@code spec.accessModes} as written
 * @param block            {@code spec.volumeMode} is Block
 * @param nodeAffinity     the ORed terms of {@code spec.nodeAffinity.required}; empty: no node affinity (any node). A
 *                         term kube-scheduler 1.20 cannot match against labels alone (one with {@code matchFields} or
 *                         an invalid requirement) is converted to an empty term, which matches no node
 * @param labels           {@code metadata.labels} (claims' selectors, zone labels)
 * @param claimRef         {@code spec.claimRef}, or null when not bound nor pre-bound
 * @param phase            {@code status.phase} (Pending, Available, Bound, Released, Failed); "" when unset
 * @param deleting         it has a deletion timestamp
 * @param csiDriver        {@code spec.csi.driver}, or null when not a CSI volume
 * @param csiHandle        {@code spec.csi.volumeHandle}, or null when not a CSI volume
 * @param resourceVersion  {@code metadata.resourceVersion} of the object read; "" when unknown (built, not read). The
 *                         volume binder writes the claimRef with it as precondition, so a PV changed since the decision
 *                         saw it is a conflict (kube updates the object it decided on)
 */
public record PersistentVolume(
        String name,
        String storageClassName,
        long capacityBytes,
        List<String> accessModes,
        boolean block,
        List<NodeSelectorTerm> nodeAffinity,
        Map<String, String> labels,
        ClaimRef claimRef,
        String phase,
        boolean deleting,
        String csiDriver,
        String csiHandle,
        String resourceVersion) {
    /** The phase of a PV ready to be bound. */
    public static final String AVAILABLE = "Available";
    /** Annotation the binder sets on a PV it binds (as kube's PV controller and scheduler do), value "yes". */
    public static final String ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";

    public PersistentVolume {
        Objects.requireNonNull(name, "name");
        storageClassName = storageClassName == null ? "" : storageClassName;
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("volume " + name + ": capacity must be ≥ 0, was " + capacityBytes);
        }
        accessModes = List.copyOf(accessModes);
        nodeAffinity = List.copyOf(nodeAffinity);
        labels = Map.copyOf(labels);
        phase = phase == null ? "" : phase;
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
    }

    /**
     * A PV's {@code spec.claimRef}.
     *
     * @param namespace the claim's namespace
     * @param name      the claim's name
     * @param uid       the claim's uid; "" when the reference does not name one (a pre-binding by name)
     */
    public record ClaimRef(String namespace, String name, String uid) {
        public ClaimRef {
            namespace = namespace == null ? "" : namespace;
            name = name == null ? "" : name;
            uid = uid == null ? "" : uid;
        }

        /** The reference to {@code claim}. */
        public static ClaimRef to(VolumeClaim claim) {
            return new ClaimRef(claim.namespace(), claim.name(), claim.uid());
        }

        /** Whether it names {@code claim}: namespace and name equal, and the uid too when it has one (kube's IsVolumeBoundToClaim). */
        public boolean names(VolumeClaim claim) {
            return namespace.equals(claim.namespace())
                    && name.equals(claim.name())
                    && (uid.isEmpty() || uid.equals(claim.uid()));
        }
    }

    /** Whether a node with these labels satisfies the PV's node affinity (kube's {@code CheckNodeAffinity}). */
    public boolean admits(Map<String, String> nodeLabels) {
        if (nodeAffinity.isEmpty()) {
            return true;
        }
        for (NodeSelectorTerm t : nodeAffinity) {
            if (t.matches(nodeLabels)) {
                return true;
            }
        }
        return false;
    }

    /** This PV with {@code claimRef} set (an assumed binding); everything else, resourceVersion included, kept. */
    public PersistentVolume withClaimRef(ClaimRef ref) {
        return new PersistentVolume(
                name,
                storageClassName,
                capacityBytes,
                accessModes,
                block,
                nodeAffinity,
                labels,
                ref,
                phase,
                deleting,
                csiDriver,
                csiHandle,
                resourceVersion);
    }

    /** Whether it is a CSI volume (driver and handle set). */
    public boolean csi() {
        return csiDriver != null && csiHandle != null && !csiDriver.isEmpty() && !csiHandle.isEmpty();
    }
}
