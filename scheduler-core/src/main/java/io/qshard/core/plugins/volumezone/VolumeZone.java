package io.qshard.core.plugins.volumezone;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeClaim;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-scheduler 1.20's VolumeZone: the zone and region labels of the PVs bound to a pod's {@code persistentVolumeClaim}
 * volumes ({@code topology.kubernetes.io/*} and {@code failure-domain.beta.kubernetes.io/*}, a value listing several
 * zones separated by {@code "__"}) must hold the node's value of the same label — checked only on nodes that carry any
 * of those labels; an unbound WaitForFirstConsumer claim is skipped (VolumeBinding places it). A PV label that does not
 * parse (an empty zone in the list) is ignored, as kube does. What kube reports as an error (a claim or PV not found)
 * is an error here too, on the nodes that carry zone labels; VolumeBinding's PreFilter refuses such pods first. PreFilter
 * reads the snapshot's volumes once and SKIPs pods with no zone-labelled PV (and every pod while the volume sources are
 * not listed: VolumeBinding refuses pods with claims then). Stateless and thread-safe.
 */
public final class VolumeZone implements PreFilterPlugin, FilterPlugin {
    public static final String NAME = "VolumeZone";
    /** kube's {@code ErrReasonConflict}. */
    public static final String ERR_CONFLICT = "node(s) had no available volume zone";
    /** The labels compared, in kube's {@code volumeZoneLabels}. */
    public static final List<String> ZONE_LABELS = List.of(
            "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region",
            "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region");

    private static final CycleState.Key<List<Check>> CHECKS = new CycleState.Key<>(NAME + ".checks");

    /**
     * One volume's part of the filter, in the pod's volume order: the zone label values its PV allows, or the error
     * kube reports for it.
     *
     * @param allowed label → the values the PV's label lists; null for an error
     * @param error   kube's error message, or null
     */
    record Check(Map<String, Set<String>> allowed, String error) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodRequest pod, ClusterSnapshot snapshot) {
        if (pod.details().volumes().isEmpty()) {
            return Status.SKIP; // kube's fast path, and this pod keeps decision reuse
        }
        VolumeCatalog catalog = snapshot.volumes();
        if (!catalog.sources().claimsUsable()) {
            return Status.SKIP;
        }
        List<Check> checks = null;
        for (PodVolume v : pod.details().volumes()) {
            if (v.source() != PodVolume.Source.CLAIM) {
                continue; // 1.20 reads persistentVolumeClaim volumes only
            }
            Check c = check(catalog, pod.namespace(), v.claimName());
            if (c != null) {
                checks = checks == null ? new ArrayList<>(2) : checks;
                checks.add(c);
            }
        }
        if (checks == null) {
            return Status.SKIP;
        }
        state.write(CHECKS, List.copyOf(checks));
        return Status.SUCCESS;
    }

    /** The check of one claim volume, or null when it constrains no node. */
    private static Check check(VolumeCatalog catalog, String namespace, String claimName) {
        if (claimName.isEmpty()) {
            return new Check(null, "PersistentVolumeClaim had no name");
        }
        VolumeClaim claim = catalog.claim(namespace, claimName);
        if (claim == null) {
            return new Check(null, "persistentvolumeclaim \"" + claimName + "\" not found");
        }
        if (claim.volumeName().isEmpty()) {
            if (claim.storageClassName().isEmpty()) {
                return new Check(null, "PersistentVolumeClaim had no pv name and storageClass name");
            }
            StorageClass sc = catalog.storageClass(claim.storageClassName());
            if (sc == null) {
                return new Check(
                        null,
                        "StorageClass \"" + claim.storageClassName() + "\" claimed by PersistentVolumeClaim \""
                                + claimName + "\" not found");
            }
            return sc.waitForFirstConsumer() ? null : new Check(null, "PersistentVolume had no name");
        }
        PersistentVolume pv = catalog.volume(claim.volumeName());
        if (pv == null) {
            return new Check(null, "persistentvolume \"" + claim.volumeName() + "\" not found");
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (String key : ZONE_LABELS) {
            String value = pv.labels().get(key);
            Set<String> zones = value == null ? null : zones(value);
            if (zones != null) {
                allowed.put(key, zones);
            }
        }
        return allowed.isEmpty() ? null : new Check(Map.copyOf(allowed), null);
    }

    /**
     * kube's {@code LabelZonesToSet}: the value split on {@code "__"}, each part trimmed; null when a part is empty
     * (kube logs and ignores such a label).
     */
    static Set<String> zones(String value) {
        Set<String> out = new HashSet<>();
        for (String part : value.split("__", -1)) {
            String zone = part.strip();
            if (zone.isEmpty()) {
                return null;
            }
            out.add(zone);
        }
        return Set.copyOf(out);
    }

    @Override
    public Status filter(CycleState state, PodRequest pod, NodeState node) {
        Map<String, String> labels = node.node().labels();
        boolean zoned = false;
        for (String key : ZONE_LABELS) {
            zoned |= labels.containsKey(key);
        }
        if (!zoned) {
            return Status.SUCCESS; // a node without zone labels fits any volume's zone
        }
        for (Check c : state.read(CHECKS)) {
            if (c.error() != null) {
                return Status.error(NAME, c.error());
            }
            for (Map.Entry<String, Set<String>> e : c.allowed().entrySet()) {
                if (!e.getValue().contains(labels.getOrDefault(e.getKey(), ""))) {
                    return Status.unresolvable(NAME, ERR_CONFLICT);
                }
            }
        }
        return Status.SUCCESS;
    }
}
