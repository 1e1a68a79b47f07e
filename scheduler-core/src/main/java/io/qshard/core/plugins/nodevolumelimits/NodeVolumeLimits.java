package io.qshard.core.plugins.nodevolumelimits;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.ResourceNames;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.VolumeCatalog;
import java.util.HashMap;
import java.util.Map;

/**
 * kube-scheduler 1.20's NodeVolumeLimits (CSILimits): the CSI volumes a pod would attach to a node, plus those the
 * node's pods attach already (each unique {@code driver/volumeHandle} once), must stay within each driver's limit —
 * {@code spec.drivers[].allocatable.count} of the node's CSINode, or the node's {@code attachable-volumes-*}
 * allocatable where no CSINode says otherwise. A node without limits, and a pod attaching no new CSI volume, pass.
 * Counting follows {@link CsiVolumes}. PreFilter SKIPs pods without CSI volumes, so they keep decision reuse; the
 * in-tree EBS, GCE PD and Azure disk limits are not enforced. Stateless and thread-safe.
 */
public final class NodeVolumeLimits implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "NodeVolumeLimits";
    /** kube's {@code ErrReasonMaxVolumeCountExceeded}. */
    public static final String ERR_MAX_VOLUME_COUNT = "node(s) exceed max volume count";

    private static final CycleState.Key<Pending> PENDING = new CycleState.Key<>(NAME + ".pending");

    /**
     * The pod's attachable CSI volumes and the catalog they were read from.
     *
     * @param volumes unique name → limit key
     * @param catalog the snapshot's volumes, for the node's CSINode and its pods' volumes
     */
    record Pending(Map<String, String> volumes, VolumeCatalog catalog) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        if (!CsiVolumes.mayCount(pod)) {
            return Status.SKIP;
        }
        Map<String, String> mine = new HashMap<>(4);
        CsiVolumes.of(pod, snapshot.volumes(), mine);
        if (mine.isEmpty()) {
            return Status.SKIP;
        }
        state.write(PENDING, new Pending(Map.copyOf(mine), snapshot.volumes()));
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        Pending p = state.read(PENDING);
        Map<String, Long> limits = limits(node, p.catalog().csiNode(node.name()));
        if (limits.isEmpty()) {
            return Status.SUCCESS;
        }
        Map<String, String> attached = new HashMap<>();
        for (PodRequest other : node.pods()) {
            if (!other.details().volumes().isEmpty()) {
                CsiVolumes.of(other, p.catalog(), attached);
            }
        }
        Map<String, Integer> attachedCount = new HashMap<>();
        attached.values().forEach(key -> attachedCount.merge(key, 1, Integer::sum));
        Map<String, Integer> newCount = new HashMap<>();
        p.volumes().forEach((unique, key) -> {
            if (!attached.containsKey(unique)) { // one volume used by several pods counts once
                newCount.merge(key, 1, Integer::sum);
            }
        });
        for (Map.Entry<String, Integer> e : newCount.entrySet()) {
            Long max = limits.get(e.getKey());
            if (max != null && attachedCount.getOrDefault(e.getKey(), 0) + e.getValue() > max) {
                return Status.unschedulable(NAME, ERR_MAX_VOLUME_COUNT);
            }
        }
        return Status.SUCCESS;
    }

    /** kube's {@code getVolumeLimits}: the node's {@code attachable-volumes-*} allocatable, overridden by its CSINode. */
    private static Map<String, Long> limits(NodeState node, CsiNodeLimits csi) {
        Map<String, Long> out = new HashMap<>(4);
        ScalarResources alloc = node.allocatableScalars();
        for (int i = 0; i < alloc.size(); i++) {
            if (alloc.name(i).startsWith(ResourceNames.ATTACHABLE_VOLUMES_PREFIX)) {
                out.put(alloc.name(i), alloc.amount(i));
            }
        }
        if (csi != null) {
            csi.limits().forEach((driver, count) -> out.put(CsiVolumes.attachLimitKey(driver), (long) count));
        }
        return out;
    }
}
