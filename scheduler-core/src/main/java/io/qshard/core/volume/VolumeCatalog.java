package io.qshard.core.volume;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The volume objects one scheduling cycle sees ({@code ClusterSnapshot.volumes()}): claims, PVs, storage classes,
 * CSINode limits, how many placed pods use each claim, and whether each source can be trusted
 * ({@link #sources()}). Decisions assumed but not yet confirmed by the informer are overlaid, as kube-scheduler's assume
 * cache does: a PV chosen for a claim reads as pre-bound to it ({@code claimRef} set), a claim chosen for provisioning
 * reads as annotated with its node. Built by {@link VolumeIndex}. Immutable and thread-safe.
 */
public final class VolumeCatalog {
    /** Nothing listed yet (sources {@link VolumeSources#WAITING}). */
    public static final VolumeCatalog EMPTY = new VolumeCatalog(
            VolumeSources.WAITING,
            ChunkedMap.empty(),
            ChunkedMap.empty(),
            ChunkedMap.empty(),
            ChunkedMap.empty(),
            ChunkedMap.empty(),
            ChunkedMap.empty(),
            ChunkedMap.empty());

    private final VolumeSources sources;
    private final ChunkedMap<String, VolumeClaim> claims;
    private final ChunkedMap<String, PersistentVolume> volumes;
    private final ChunkedMap<String, StorageClass> classes;
    private final ChunkedMap<String, CsiNodeLimits> csiNodes;
    private final ChunkedMap<String, PersistentVolume.ClaimRef> assumedBindings;
    private final ChunkedMap<String, String> assumedProvisions;
    private final ChunkedMap<String, Integer> claimUsers;

    VolumeCatalog(
            VolumeSources sources,
            ChunkedMap<String, VolumeClaim> claims,
            ChunkedMap<String, PersistentVolume> volumes,
            ChunkedMap<String, StorageClass> classes,
            ChunkedMap<String, CsiNodeLimits> csiNodes,
            ChunkedMap<String, PersistentVolume.ClaimRef> assumedBindings,
            ChunkedMap<String, String> assumedProvisions,
            ChunkedMap<String, Integer> claimUsers) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
        this.csiNodes = csiNodes;
        this.assumedBindings = assumedBindings;
        this.assumedProvisions = assumedProvisions;
        this.claimUsers = claimUsers;
    }

    /** Which sources are listed, waiting, forbidden or unserved. */
    public VolumeSources sources() {
        return sources;
    }

    /** The claim {@code namespace/name} (with an assumed selected node overlaid), or null. */
    public VolumeClaim claim(String namespace, String name) {
        String key = VolumeClaim.key(namespace, name);
        VolumeClaim c = claims.get(key);
        if (c == null || c.selectedNode() != null) {
            return c;
        }
        String node = assumedProvisions.get(key);
        return node == null ? c : c.withSelectedNode(node);
    }

    /** The PV named {@code name} (with an assumed claimRef overlaid), or null. */
    public PersistentVolume volume(String name) {
        return overlay(volumes.get(name));
    }

    /** Every PV (assumed claimRefs overlaid), in no particular order. */
    public void forEachVolume(Consumer<PersistentVolume> action) {
        volumes.forEach((name, pv) -> action.accept(overlay(pv)));
    }

    /** Number of PVs. */
    public int volumeCount() {
        return volumes.size();
    }

    private PersistentVolume overlay(PersistentVolume pv) {
        if (pv == null || pv.claimRef() != null || assumedBindings.size() == 0) {
            return pv;
        }
        PersistentVolume.ClaimRef ref = assumedBindings.get(pv.name());
        return ref == null ? pv : pv.withClaimRef(ref);
    }

    /** The StorageClass named {@code name}, or null. */
    public StorageClass storageClass(String name) {
        return classes.get(name);
    }

    /**
     * Whether {@code claim} waits for its first consumer: its class exists and says WaitForFirstConsumer (kube's
     * {@code IsDelayBindingMode}: no class, or a class not found, is immediate).
     */
    public boolean waitsForFirstConsumer(VolumeClaim claim) {
        if (claim.storageClassName().isEmpty()) {
            return false;
        }
        StorageClass c = classes.get(claim.storageClassName());
        return c != null && c.waitForFirstConsumer();
    }

    /** The attach limits of {@code node}'s CSINode, or null when it has none (or CSINode is not {@code READY}). */
    public CsiNodeLimits csiNode(String node) {
        return sources.csiNodes() == VolumeSources.State.READY ? csiNodes.get(node) : null;
    }

    /** How many placed (bound or assumed) pods use the claim {@code namespace/name}. */
    public int claimUsers(String namespace, String name) {
        Integer n = claimUsers.get(VolumeClaim.key(namespace, name));
        return n == null ? 0 : n;
    }
}
