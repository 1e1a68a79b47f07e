package io.qshard.core.volume;

import io.qshard.core.model.LabelSelector;
import java.util.List;
import java.util.Objects;

/**
 * What scheduling reads of a PersistentVolumeClaim. Immutable.
 *
 * @param namespace        its namespace
 * @param name             its name
 * @param uid              its uid
 * @param storageClassName the class it asks for: the {@code volume.beta.kubernetes.io/storage-class} annotation when
 *                         present, else {@code spec.storageClassName}; "" for none (kube's
 *                         {@code GetPersistentVolumeClaimClass})
 * @param volumeName       {@code spec.volumeName}: the PV it is bound (or pre-bound) to; "" for none
 * @param phase            {@code status.phase} (Pending, Bound, Lost); "" when unset
 * @param accessModes      {@code spec.accessModes} as written (ReadWriteOnce, ReadOnlyMany, ReadWriteMany,
 *                         ReadWriteOncePod)
 * @param requestBytes     {@code spec.resources.requests.storage} in bytes, ≥ 0 (0 when absent)
 * @param block            {@code spec.volumeMode} is Block (absent or Filesystem: false)
 * @param selector         {@code spec.selector} over PV labels, or null for none
 * @param deleting         it has a deletion timestamp
 * @param selectedNode     the {@code volume.kubernetes.io/selected-node} annotation, or null
 * @param bindCompleted    it has the {@code pv.kubernetes.io/bind-completed} annotation
 * @param controllerUid    uid of its controller owner (a generic ephemeral volume's pod), or null
 * @param resourceVersion  {@code metadata.resourceVersion} of the object read; "" when unknown (built, not read). The
 *                         volume binder writes the selected-node annotation with it as precondition, so two decisions
 *                         provisioning the claim for different nodes cannot both win
 */
public record VolumeClaim(
        String namespace,
        String name,
        String uid,
        String storageClassName,
        String volumeName,
        String phase,
        List<String> accessModes,
        long requestBytes,
        boolean block,
        LabelSelector selector,
        boolean deleting,
        String selectedNode,
        boolean bindCompleted,
        String controllerUid,
        String resourceVersion) {
    /** Annotation kube's PV controller sets once it has bound a claim. */
    public static final String ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    /** Annotation the scheduler sets on a claim to be provisioned for the node it chose. */
    public static final String ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node";
    /** The beta annotation that names a claim's (or PV's) class, read before {@code spec.storageClassName}. */
    public static final String ANN_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";
    /** The access mode newer API servers serve (1.22+) that one pod at a time may use. */
    public static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";

    public VolumeClaim {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        storageClassName = storageClassName == null ? "" : storageClassName;
        volumeName = volumeName == null ? "" : volumeName;
        phase = phase == null ? "" : phase;
        accessModes = List.copyOf(accessModes);
        if (requestBytes < 0) {
            throw new IllegalArgumentException(
                    "claim " + namespace + "/" + name + ": storage request must be ≥ 0, was " + requestBytes);
        }
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
    }

    /** {@code namespace/name}. */
    public String key() {
        return key(namespace, name);
    }

    /** {@code namespace/name}. */
    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** Bound by the PV controller: {@code spec.volumeName} set and bind-completed (kube's isPVCFullyBound). */
    public boolean fullyBound() {
        return !volumeName.isEmpty() && bindCompleted;
    }

    /** Whether it asks for the ReadWriteOncePod access mode. */
    public boolean readWriteOncePod() {
        return accessModes.contains(READ_WRITE_ONCE_POD);
    }

    /** This claim with the selected-node annotation set to {@code node} (an assumed provisioning); the rest kept. */
    public VolumeClaim withSelectedNode(String node) {
        return new VolumeClaim(
                namespace,
                name,
                uid,
                storageClassName,
                volumeName,
                phase,
                accessModes,
                requestBytes,
                block,
                selector,
                deleting,
                node,
                bindCompleted,
                controllerUid,
                resourceVersion);
    }
}
