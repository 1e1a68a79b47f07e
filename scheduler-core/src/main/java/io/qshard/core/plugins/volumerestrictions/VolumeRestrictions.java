package io.qshard.core.plugins.volumerestrictions;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeClaim;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-scheduler's VolumeRestrictions. 1.20's disk conflicts: a GCE PD already mounted by a pod on the node conflicts
 * unless both mount it read-only, an AWS EBS volume always, an iSCSI volume of the same IQN and an RBD image of the
 * same pool and image on overlapping Ceph monitors unless both are read-only —
 * "node(s) had no available disk". And, where the API serves the ReadWriteOncePod access mode (1.22+; 1.20 does not),
 * kube 1.27's rule: a pod whose ReadWriteOncePod claim any placed pod already uses fits no node. A claim that does not
 * exist is left to VolumeBinding, which refuses the pod with kube's reason. PreFilter SKIPs pods with neither, so they
 * keep decision reuse. Stateless and thread-safe.
 */
public final class VolumeRestrictions implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "VolumeRestrictions";
    /** kube's {@code ErrReasonDiskConflict}. */
    public static final String ERR_DISK_CONFLICT = "node(s) had no available disk";
    /** kube 1.27's {@code ErrReasonReadWriteOncePodConflict}. */
    public static final String ERR_READ_WRITE_ONCE_POD_CONFLICT =
            "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

    private static final CycleState.Key<Restrictions> RESTRICTIONS = new CycleState.Key<>(NAME + ".restrictions");

    /**
     * What the filter checks for a pod.
     *
     * @param disks       its single-node disk volumes
     * @param rwopInUse   one of its ReadWriteOncePod claims is used by a placed pod
     */
    record Restrictions(List<PodVolume> disks, boolean rwopInUse) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        List<PodVolume> volumes = pod.details().volumes();
        if (volumes.isEmpty()) {
            return Status.SKIP;
        }
        List<PodVolume> disks = new ArrayList<>(0);
        boolean inUse = false;
        VolumeCatalog catalog = snapshot.volumes();
        for (PodVolume v : volumes) {
            if (isDisk(v.source())) {
                disks.add(v);
            } else if (v.source() == PodVolume.Source.CLAIM) {
                VolumeClaim c = catalog.claim(pod.namespace(), v.claimName());
                inUse |= c != null && c.readWriteOncePod() && catalog.claimUsers(c.namespace(), c.name()) > 0;
            }
        }
        if (disks.isEmpty() && !inUse) {
            return Status.SKIP;
        }
        state.write(RESTRICTIONS, new Restrictions(List.copyOf(disks), inUse));
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        Restrictions r = state.read(RESTRICTIONS);
        for (PodVolume mine : r.disks()) {
            for (PodRequest other : node.pods()) {
                for (PodVolume theirs : other.details().volumes()) {
                    if (conflict(mine, theirs)) {
                        return Status.unschedulable(NAME, ERR_DISK_CONFLICT);
                    }
                }
            }
        }
        return r.rwopInUse() ? Status.unschedulable(NAME, ERR_READ_WRITE_ONCE_POD_CONFLICT) : Status.SUCCESS;
    }

    private static boolean isDisk(PodVolume.Source s) {
        return s == PodVolume.Source.GCE_PD
                || s == PodVolume.Source.AWS_EBS
                || s == PodVolume.Source.ISCSI
                || s == PodVolume.Source.RBD;
    }

    /** kube's {@code isVolumeConflict} for one pair of volumes. */
    static boolean conflict(PodVolume a, PodVolume b) {
        if (a.source() != b.source() || !isDisk(a.source()) || a.diskId() == null || b.diskId() == null) {
            return false;
        }
        boolean same = a.source() == PodVolume.Source.RBD
                ? sameRbdImage(a.diskId(), b.diskId())
                : a.diskId().equals(b.diskId());
        return same && (a.source() == PodVolume.Source.AWS_EBS || !(a.readOnly() && b.readOnly()));
    }

    /**
     * RBD disk ids are {@code pool/image@mon1,mon2,…} (monitors sorted, distinct): the same image when pool and image
     * are equal and at least one monitor is in both lists (kube's {@code haveOverlap}; no monitors, no overlap).
     */
    static boolean sameRbdImage(String a, String b) {
        int at = a.lastIndexOf('@');
        int bt = b.lastIndexOf('@');
        if (at < 0 || at != bt || !a.regionMatches(0, b, 0, at)) {
            return false;
        }
        List<String> mine = List.of(a.substring(at + 1).split(","));
        for (String m : b.substring(bt + 1).split(",")) {
            if (!m.isEmpty() && mine.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
