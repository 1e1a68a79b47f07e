package io.qshard.core.plugins.volumebinding;

import io.qshard.core.framework.Status;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What VolumeBinding's PreFilter found for one pod (kube's {@code stateData}): the PVs of its bound claims and its
 * unbound WaitForFirstConsumer claims, smallest request first (kube's {@code byPVCSize}); and the snapshot, from which
 * Reserve reads the chosen node. {@link #check} is kube's {@code FindPodVolumes} for one node, {@link #decide} the same
 * returning what to bind. Immutable.
 *
 * @param snapshot     the cycle's snapshot
 * @param boundVolumes the PVs of the pod's fully bound claims
 * @param toBind       its unbound WaitForFirstConsumer claims with their candidate PVs, by storage request ascending
 */
record PodClaims(ClusterSnapshot snapshot, List<PersistentVolume> boundVolumes, List<ClaimToBind> toBind) {
    PodClaims {
        boundVolumes = List.copyOf(boundVolumes);
        toBind = List.copyOf(toBind);
    }

    /** Filter: SUCCESS, or kube's conflict reasons for the node (unresolvable). */
    Status check(String nodeName, Map<String, String> nodeLabels) {
        Outcome o = find(nodeName, nodeLabels, false);
        if (o.boundOk && o.unboundOk) {
            return Status.SUCCESS;
        }
        List<String> reasons = new ArrayList<>(2);
        if (!o.boundOk) {
            reasons.add(VolumeBinding.ERR_NODE_CONFLICT);
        }
        if (!o.unboundOk) {
            reasons.add(VolumeBinding.ERR_BIND_CONFLICT);
        }
        return new Status(Status.Code.UNRESOLVABLE, reasons, VolumeBinding.NAME);
    }

    /** Reserve: what to bind and provision for the pod on the node, or null when the node does not fit its claims. */
    VolumeDecision decide(String podUid, String nodeName, Map<String, String> nodeLabels) {
        Outcome o = find(nodeName, nodeLabels, true);
        return o.boundOk && o.unboundOk ? new VolumeDecision(podUid, nodeName, o.bindings, o.provisions) : null;
    }

    /** The result of {@link #find}: kube's two booleans, and with {@code collect} the bindings and provisions. */
    private static final class Outcome {
        boolean boundOk = true;
        boolean unboundOk = true;
        final List<VolumeDecision.Binding> bindings;
        final List<VolumeClaim> provisions;

        Outcome(boolean collect) {
            bindings = collect ? new ArrayList<>() : null;
            provisions = collect ? new ArrayList<>() : null;
        }
    }

    /** kube-scheduler 1.20's {@code FindPodVolumes} for one node (capacity tracking, alpha in 1.20, left out). */
    private Outcome find(String nodeName, Map<String, String> nodeLabels, boolean collect) {
        Outcome o = new Outcome(collect);
        for (PersistentVolume pv : boundVolumes) { // checkBoundClaims
            if (!pv.admits(nodeLabels)) {
                o.boundOk = false;
                break;
            }
        }
        if (toBind.isEmpty()) {
            return o;
        }
        List<ClaimToBind> provision = new ArrayList<>(0);
        List<ClaimToBind> match = new ArrayList<>(toBind.size());
        for (ClaimToBind c : toBind) {
            String selected = c.claim().selectedNode();
            if (selected == null) {
                match.add(c);
            } else if (selected.equals(nodeName)) {
                provision.add(c);
            } else {
                o.unboundOk = false; // another node was selected for its provisioning: the fast path
                return o;
            }
        }
        String[] taken = new String[match.size()];
        int takenCount = 0;
        for (ClaimToBind c : match) { // findMatchingVolumes, smallest claims first
            PersistentVolume pv = c.match(nodeLabels, taken, takenCount);
            if (pv == null) {
                provision.add(c);
                o.unboundOk = false;
            } else {
                taken[takenCount++] = pv.name();
                if (collect) {
                    o.bindings.add(new VolumeDecision.Binding(pv, c.claim()));
                }
            }
        }
        if (!provision.isEmpty()) { // checkVolumeProvisions: decides alone whether the unbound claims are satisfied
            for (ClaimToBind c : provision) {
                // the class exists: a claim waits for its first consumer only when its class says so
                if (!c.storage().provisions() || !c.storage().allows(nodeLabels)) {
                    o.unboundOk = false;
                    if (collect) {
                        o.provisions.clear();
                    }
                    return o;
                }
                if (collect) {
                    o.provisions.add(c.claim());
                }
            }
            o.unboundOk = true;
        }
        return o;
    }
}
