package io.qshard.core.plugins.volumebinding;

import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeCatalog;
import io.qshard.core.volume.VolumeClaim;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One unbound WaitForFirstConsumer claim of a pod, with the static PVs that could serve it on some node, found once per
 * cycle: kube's {@code FindMatchingVolume} split into what does not depend on the node (class, volume mode, phase,
 * claimRef, selector, access modes, size — checked here over every PV) and the PV's node affinity (checked per node by
 * {@link #match}). Immutable.
 *
 * @param claim     the claim (its selected node overlaid when a provisioning is assumed)
 * @param storage   its StorageClass (present: the claim waits for its first consumer because the class says so)
 * @param prebound  PVs of its class whose {@code claimRef} names it, large enough; kube returns the first one found
 * @param available PVs of its class free to bind to it ({@code Available}, no claimRef, selector, access modes, size),
 *                  smallest first (ties by name: kube takes whichever its cache lists first)
 */
record ClaimToBind(
        VolumeClaim claim, StorageClass storage, List<PersistentVolume> prebound, List<PersistentVolume> available) {
    private static final Comparator<PersistentVolume> SMALLEST_FIRST =
            Comparator.comparingLong(PersistentVolume::capacityBytes).thenComparing(PersistentVolume::name);

    ClaimToBind {
        prebound = List.copyOf(prebound);
        available = List.copyOf(available);
    }

    /** The claim with its candidate PVs among every PV of {@code catalog}. */
    static ClaimToBind of(VolumeClaim claim, VolumeCatalog catalog) {
        List<PersistentVolume> prebound = new ArrayList<>(1);
        List<PersistentVolume> available = new ArrayList<>();
        catalog.forEachVolume(pv -> {
            if (!pv.storageClassName().equals(claim.storageClassName()) // kube lists the claim's class only
                    || pv.block() != claim.block()
                    || pv.deleting()
                    || pv.capacityBytes() < claim.requestBytes()) {
                return;
            }
            if (pv.claimRef() != null && pv.claimRef().names(claim)) {
                prebound.add(pv);
            } else if (PersistentVolume.AVAILABLE.equals(pv.phase())
                    && pv.claimRef() == null
                    && (claim.selector() == null || claim.selector().matches(pv.labels()))
                    && pv.accessModes().containsAll(claim.accessModes())) {
                available.add(pv);
            }
        });
        prebound.sort(Comparator.comparing(PersistentVolume::name));
        available.sort(SMALLEST_FIRST);
        return new ClaimToBind(claim, catalog.storageClass(claim.storageClassName()), prebound, available);
    }

    /**
     * The PV kube's {@code FindMatchingVolume} picks for the claim on a node with these labels, skipping the PVs other
     * claims of the pod took: a pre-bound PV if there is one (none at all if its node affinity rejects the node), else
     * the smallest available PV whose node affinity admits the node; null when none.
     *
     * @param taken names of PVs already chosen for the pod's other claims, the first {@code takenCount} entries
     */
    PersistentVolume match(Map<String, String> nodeLabels, String[] taken, int takenCount) {
        for (PersistentVolume pv : prebound) {
            if (!contains(taken, takenCount, pv.name())) {
                return pv.admits(nodeLabels) ? pv : null;
            }
        }
        for (PersistentVolume pv : available) {
            if (!contains(taken, takenCount, pv.name()) && pv.admits(nodeLabels)) {
                return pv;
            }
        }
        return null;
    }

    private static boolean contains(String[] taken, int n, String name) {
        for (int i = 0; i < n; i++) {
            if (taken[i].equals(name)) {
                return true;
            }
        }
        return false;
    }
}
