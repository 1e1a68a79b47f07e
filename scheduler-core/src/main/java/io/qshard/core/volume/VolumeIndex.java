package io.qshard.core.volume;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PodVolume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler's mutable store of volume objects, from which each snapshot takes an immutable {@link VolumeCatalog}.
 * Informer events and the VolumeBinding plugin's assumptions are applied here; a catalog is published at most once per
 * change and costs O(64) per changed map plus one chunk copy per changed chunk ({@link ChunkedMap}), so bursts of claim
 * events (a StatefulSet's thousand claims) stay linear. Assumptions ({@link #assume}) last until {@link #forget} or
 * until the informer shows the API's answer: a PV with a {@code claimRef}, a claim with a selected node or a volume.
 * Writers report whether anything changed, so that the owner publishes a new snapshot only then. Not thread-safe:
 * owned by one decision thread ({@code ClusterState}).
 */
public final class VolumeIndex {
    private VolumeSources sources = VolumeSources.WAITING;
    private final ChunkedMap.Builder<String, VolumeClaim> claims = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, PersistentVolume> volumes = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, StorageClass> classes = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, CsiNodeLimits> csiNodes = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, PersistentVolume.ClaimRef> assumedBindings = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, String> assumedProvisions = new ChunkedMap.Builder<>();
    private final ChunkedMap.Builder<String, Integer> claimUsers = new ChunkedMap.Builder<>();
    /** uid → claim keys of every placed pod that uses claims. */
    private final Map<String, List<String>> podClaims = new HashMap<>();
    /** The last published catalog, or null when something changed since. */
    private VolumeCatalog published = VolumeCatalog.EMPTY;

    /** The current contents; O(1) when nothing changed since the last call. */
    public VolumeCatalog catalog() {
        if (published == null) {
            published = new VolumeCatalog(
                    sources,
                    claims.publish(),
                    volumes.publish(),
                    classes.publish(),
                    csiNodes.publish(),
                    assumedBindings.publish(),
                    assumedProvisions.publish(),
                    claimUsers.publish());
        }
        return published;
    }

    private boolean changed() {
        published = null;
        return true;
    }

    /** Sets which sources are listed, waiting, forbidden or unserved; true if that changed. */
    public boolean sources(VolumeSources s) {
        if (sources.equals(Objects.requireNonNull(s, "sources"))) {
            return false;
        }
        sources = s;
        return changed();
    }

    /** The current sources. */
    public VolumeSources sources() {
        return sources;
    }

    /** A claim was seen or changed; true if anything a decision reads changed. */
    public boolean upsertClaim(VolumeClaim c) {
        boolean confirmed =
                (c.selectedNode() != null || !c.volumeName().isEmpty()) && assumedProvisions.remove(c.key()) != null;
        if (c.equals(claims.get(c.key()))) {
            return confirmed && changed();
        }
        claims.put(c.key(), c);
        return changed();
    }

    /** A claim is gone; true if it was known. */
    public boolean deleteClaim(String namespace, String name) {
        String key = VolumeClaim.key(namespace, name);
        boolean assumed = assumedProvisions.remove(key) != null;
        boolean known = claims.remove(key) != null;
        return (known || assumed) && changed();
    }

    /** A PV was seen or changed; true if anything a decision reads changed. */
    public boolean upsertVolume(PersistentVolume pv) {
        boolean confirmed = pv.claimRef() != null && assumedBindings.remove(pv.name()) != null;
        if (pv.equals(volumes.get(pv.name()))) {
            return confirmed && changed();
        }
        volumes.put(pv.name(), pv);
        return changed();
    }

    /** A PV is gone; true if it was known. */
    public boolean deleteVolume(String name) {
        boolean assumed = assumedBindings.remove(name) != null;
        boolean known = volumes.remove(name) != null;
        return (known || assumed) && changed();
    }

    /** Sets the StorageClass {@code name}, or forgets it ({@code sc == null}); true if that changed anything. */
    public boolean storageClass(String name, StorageClass sc) {
        if (Objects.equals(classes.get(name), sc)) {
            return false;
        }
        if (sc == null) {
            classes.remove(name);
        } else {
            classes.put(name, sc);
        }
        return changed();
    }

    /** Sets the CSINode limits of {@code node}, or forgets them ({@code limits == null}); true if that changed. */
    public boolean csiNode(String node, CsiNodeLimits limits) {
        if (Objects.equals(csiNodes.get(node), limits)) {
            return false;
        }
        if (limits == null) {
            csiNodes.remove(node);
        } else {
            csiNodes.put(node, limits);
        }
        return changed();
    }

    /** Records a decision's choices: its PVs read as pre-bound to their claims, its claims as provisioned on its node. */
    public void assume(VolumeDecision d) {
        for (VolumeDecision.Binding b : d.bindings()) {
            assumedBindings.put(b.volume().name(), PersistentVolume.ClaimRef.to(b.claim()));
        }
        for (VolumeClaim c : d.provisions()) {
            assumedProvisions.put(c.key(), d.node());
        }
        if (!d.empty()) {
            changed();
        }
    }

    /** Undoes {@link #assume} for what this decision still holds (an entry the informer confirmed is gone already). */
    public void forget(VolumeDecision d) {
        boolean any = false;
        for (VolumeDecision.Binding b : d.bindings()) {
            if (PersistentVolume.ClaimRef.to(b.claim())
                    .equals(assumedBindings.get(b.volume().name()))) {
                assumedBindings.remove(b.volume().name());
                any = true;
            }
        }
        for (VolumeClaim c : d.provisions()) {
            if (d.node().equals(assumedProvisions.get(c.key()))) {
                assumedProvisions.remove(c.key());
                any = true;
            }
        }
        if (any) {
            changed();
        }
    }

    /**
     * A pod was placed (bound or assumed): its claims count one more user each (for ReadWriteOncePod). A pod without
     * claims costs one check; a pod counted already is not counted twice. @return true if anything changed
     */
    public boolean podPlaced(PodRequest pod) {
        if (!pod.details().hasClaims() || podClaims.containsKey(pod.uid())) {
            return false;
        }
        List<String> keys = new ArrayList<>(2);
        for (PodVolume v : pod.details().volumes()) {
            String key = v.usesClaim() ? VolumeClaim.key(pod.namespace(), v.claimName()) : null;
            if (key != null && !keys.contains(key)) {
                keys.add(key);
                claimUsers.put(key, claimUsersOf(key) + 1);
            }
        }
        podClaims.put(pod.uid(), keys);
        return changed();
    }

    /** A placed pod is gone or pending again: its claims lose it as a user. @return true if it was counted */
    public boolean podRemoved(String uid) {
        if (podClaims.isEmpty()) {
            return false;
        }
        List<String> keys = podClaims.remove(uid);
        if (keys == null) {
            return false;
        }
        for (String key : keys) {
            int n = claimUsersOf(key) - 1;
            if (n <= 0) {
                claimUsers.remove(key);
            } else {
                claimUsers.put(key, n);
            }
        }
        return changed();
    }

    private int claimUsersOf(String key) {
        Integer n = claimUsers.get(key);
        return n == null ? 0 : n;
    }
}
