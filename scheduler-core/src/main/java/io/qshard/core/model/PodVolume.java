package io.qshard.core.model;

import java.util.Objects;

/**
 * One entry of a pod's {@code spec.volumes} that scheduling reads. Immutable.
 *
 * @param name      the volume's name in the pod
 * @param source    what kind of volume it is
 * @param claimName the PersistentVolumeClaim it uses: {@code persistentVolumeClaim.claimName}, or for a generic
 *                  ephemeral volume {@code <pod name>-<volume name>} (the claim its controller creates); null otherwise
 * @param diskId    for a disk that can be attached to one node only, what kube-scheduler 1.20's VolumeRestrictions
 *                  compares (GCE PD name, AWS EBS volume ID, iSCSI IQN, RBD {@code pool/image@monitors}), or
 *                  for an inline CSI volume its driver; else null
 * @param readOnly  mounted read-only
 */
public record PodVolume(String name, Source source, String claimName, String diskId, boolean readOnly) {
    public PodVolume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        if ((source == Source.CLAIM || source == Source.EPHEMERAL) && claimName == null) {
            throw new IllegalArgumentException("volume " + name + ": a " + source + " volume needs a claim name");
        }
    }

    /** A {@code persistentVolumeClaim} volume. */
    public static PodVolume claim(String name, String claimName, boolean readOnly) {
        return new PodVolume(name, Source.CLAIM, claimName, null, readOnly);
    }

    /** Whether the volume goes through a PersistentVolumeClaim. */
    public boolean usesClaim() {
        return claimName != null;
    }

    /** The volume sources scheduling distinguishes. */
    public enum Source {
        /** {@code persistentVolumeClaim}. */
        CLAIM,
        /** {@code ephemeral} (generic ephemeral volume: a claim named after pod and volume). */
        EPHEMERAL,
        /** {@code gcePersistentDisk}. */
        GCE_PD,
        /** {@code awsElasticBlockStore}. */
        AWS_EBS,
        /** {@code iscsi}. */
        ISCSI,
        /** {@code rbd}. */
        RBD,
        /** An inline {@code csi} volume. */
        CSI_INLINE,
        /** Anything else (emptyDir, configMap, secret, hostPath, …): no scheduling constraint. */
        OTHER
    }
}
