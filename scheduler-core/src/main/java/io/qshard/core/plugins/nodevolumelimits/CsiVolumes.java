package io.qshard.core.plugins.nodevolumelimits;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeClaim;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Which CSI volumes a pod attaches, as kube-scheduler 1.20's CSILimits counts them ({@code filterAttachableVolumes}):
 * each {@code persistentVolumeClaim} volume whose claim is bound to a CSI PV counts as {@code driver/volumeHandle}; an
 * unbound claim (or one whose PV is missing) counts under its class's provisioner, as a volume of its own; in-tree
 * volumes count only once migrated to CSI, which 1.20 does not do by default — never here. Inline CSI volumes and
 * generic ephemeral volumes are not counted in 1.20. Stateless.
 */
final class CsiVolumes {
    /** kube's {@code CSIAttachLimitPrefix}. */
    static final String ATTACH_LIMIT_PREFIX = "attachable-volumes-csi-";
    /** Stands for kube's random per-plugin prefix of an unbound claim's placeholder handle. */
    private static final String UNBOUND_PREFIX = "qshard-unbound-claim";
    /** The in-tree provisioners csi-translation-lib 1.20 can migrate (off by default): not counted. */
    private static final Set<String> MIGRATABLE_IN_TREE = Set.of(
            "kubernetes.io/aws-ebs",
            "kubernetes.io/gce-pd",
            "kubernetes.io/azure-disk",
            "kubernetes.io/azure-file",
            "kubernetes.io/cinder",
            "kubernetes.io/vsphere-volume");

    private CsiVolumes() {}

    /** Adds the pod's attachable CSI volumes to {@code into}: unique name ({@code driver/handle}) → limit key. */
    static void of(PodRequest pod, VolumeCatalog catalog, Map<String, String> into) {
        for (PodVolume v : pod.details().volumes()) {
            if (v.source() != PodVolume.Source.CLAIM) {
                continue;
            }
            VolumeClaim claim = catalog.claim(pod.namespace(), v.claimName());
            if (claim != null) {
                add(claim, catalog, into);
            }
        }
    }

    /** Whether the pod has a volume that may count (a {@code persistentVolumeClaim} volume). */
    static boolean mayCount(PodRequest pod) {
        for (PodVolume v : pod.details().volumes()) {
            if (v.source() == PodVolume.Source.CLAIM) {
                return true;
            }
        }
        return false;
    }

    private static void add(VolumeClaim claim, VolumeCatalog catalog, Map<String, String> into) {
        String driver;
        String handle;
        PersistentVolume pv = claim.volumeName().isEmpty() ? null : catalog.volume(claim.volumeName());
        if (pv != null) {
            if (!pv.csi()) {
                return; // an in-tree volume, not migrated
            }
            driver = pv.csiDriver();
            handle = pv.csiHandle();
        } else { // getCSIDriverInfoFromSC
            StorageClass sc =
                    claim.storageClassName().isEmpty() ? null : catalog.storageClass(claim.storageClassName());
            if (sc == null || sc.provisioner().isEmpty() || MIGRATABLE_IN_TREE.contains(sc.provisioner())) {
                return;
            }
            driver = sc.provisioner();
            handle = UNBOUND_PREFIX + "-" + claim.key();
        }
        into.put(driver + "/" + handle, attachLimitKey(driver));
    }

    /**
     * kube's {@code GetCSIAttachLimitKey}: {@code attachable-volumes-csi-<driver>}, or for a driver name that would make
     * it 63 characters or longer, the prefix, the driver's first 23 characters and 16 hex digits of its SHA-1.
     */
    static String attachLimitKey(String driver) {
        if (ATTACH_LIMIT_PREFIX.length() + driver.length() < 63) {
            return ATTACH_LIMIT_PREFIX + driver;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1").digest(driver.getBytes(StandardCharsets.UTF_8));
            return ATTACH_LIMIT_PREFIX
                    + driver.substring(0, 23)
                    + HexFormat.of().formatHex(sha).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
