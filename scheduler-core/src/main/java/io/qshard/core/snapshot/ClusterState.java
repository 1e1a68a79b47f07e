package io.qshard.core.snapshot;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.UsageView;
import io.qshard.core.volume.CsiNodeLimits;
import io.qshard.core.volume.PersistentVolume;
import io.qshard.core.volume.StorageClass;
import io.qshard.core.volume.VolumeClaim;
import io.qshard.core.volume.VolumeDecision;
import io.qshard.core.volume.VolumeIndex;
import io.qshard.core.volume.VolumeSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The scheduler's cache of one shard: nodes, bound and assumed pods. Events from informers and the
 * binder are applied here, and {@link #snapshot()} hands out the current immutable view in O(1).
 *
 * <p>Pods bound to nodes this state does not hold (yet) are kept aside and attached when the node arrives,
 * so the order of node and pod events does not matter. Assuming a pod and later seeing it bound is a
 * no-op; seeing it bound elsewhere moves it. Volume objects (claims, PVs, classes, CSINode limits) and the volume
 * bindings assumed at Reserve are kept in a {@link VolumeIndex} and published with each snapshot. Not thread-safe:
 * owned by the instance's decision thread, which is the only writer; snapshots may be read from any thread.
 */
public final class ClusterState {
    private PersistentArray<NodeState> nodes = PersistentArray.empty();
    /** name → position; handed to the published snapshot, so copied before the next write once shared. */
    private HashMap<String, Integer> index = new HashMap<>();

    private boolean indexShared;
    private long generation;
    /** The last published snapshot, or null when something changed since. */
    private ClusterSnapshot published = ClusterSnapshot.empty();
    /** uid → node name, for every pod accounted on a node we hold. */
    private final Map<String, String> podNode = new HashMap<>();
    /** node name → pods bound to a node we do not hold. */
    private final Map<String, Map<String, PodRequest>> detached = new HashMap<>();
    /** uid → node name, for every detached pod. */
    private final Map<String, String> detachedNode = new HashMap<>();
    /** namespace/name → PodDisruptionBudget, for preemption. */
    private final Map<String, DisruptionBudget> budgets = new java.util.TreeMap<>();
    /** {@link #budgets}' values as published, or null after a change. */
    private List<DisruptionBudget> budgetList;
    /** uid → a pending pod nominated to a node ({@code status.nominatedNodeName}), for every nomination. */
    private final Map<String, PodRequest> nominations = new HashMap<>();
    /** node → uid → the pods of {@link #nominations} nominated there (insertion order). */
    private final Map<String, Map<String, PodRequest>> nominatedByNode = new HashMap<>();
    /** Every pod and node label of the cluster, for the topology plugins. */
    private final TopologyIndex topology = new TopologyIndex();
    /** Claims, PVs, classes, CSINode limits and assumed volume bindings, for the volume plugins. */
    private final VolumeIndex volumes = new VolumeIndex();

    /** The current view; O(1) (plus one small object after a change), immutable. */
    public ClusterSnapshot snapshot() {
        if (published == null) {
            if (budgetList == null) {
                budgetList = List.copyOf(budgets.values());
            }
            published =
                    new ClusterSnapshot(nodes, index, generation, topology.topology(), volumes.catalog(), budgetList);
            indexShared = true;
        }
        return published;
    }

    /** The current state of one node, without publishing a snapshot (for event handlers). */
    public Optional<NodeState> node(String name) {
        return Optional.ofNullable(nodeOrNull(name));
    }

    private NodeState nodeOrNull(String name) {
        Integer i = index.get(name);
        return i == null ? null : nodes.get(i);
    }

    private HashMap<String, Integer> writableIndex() {
        if (indexShared) {
            index = new HashMap<>(index);
            indexShared = false;
        }
        return index;
    }

    /** Adds {@code state}, or replaces the node of the same name. */
    private void put(NodeState state) {
        nodes = ClusterSnapshot.put(nodes, index.containsKey(state.name()) ? index : writableIndex(), state);
        changed();
    }

    /** Removes a node: the last node moves into its slot. */
    private void drop(String name) {
        if (index.containsKey(name)) {
            nodes = ClusterSnapshot.remove(nodes, writableIndex(), name);
            changed();
        }
    }

    private void changed() {
        generation++;
        published = null;
    }

    /**
     * Records the labels of a node this state does not place on (another shard's), for the topology plugins; a node
     * this state holds gets them through {@link #upsertNode}.
     */
    public void observeNode(Node node) {
        if (topology.node(node)) {
            changed();
        }
    }

    /** A node deleted from the cluster: removed as {@link #removeNode} does, and its labels forgotten. */
    public void deleteNode(String name) {
        removeNode(name);
        if (topology.deleteNode(name)) {
            changed();
        }
    }

    /** Sets a namespace's labels (for {@code namespaceSelector}s), or forgets it ({@code labels == null}). */
    public void namespaceLabels(String namespace, Map<String, String> labels) {
        topology.namespaceLabels(namespace, labels);
        changed();
    }

    /**
     * Sets a ReplicaSet's, StatefulSet's or ReplicationController's selector by its namespace and uid, or forgets it
     * ({@code selector == null}), for the default spread constraints.
     */
    public void controllerSelector(String namespace, String uid, io.qshard.core.model.LabelSelector selector) {
        topology.controllerSelector(namespace, uid, selector);
        changed();
    }

    /** Sets a Service's selector ({@code key} = namespace/name), or forgets it (null or empty). */
    public void serviceSelector(String namespace, String key, Map<String, String> selector) {
        topology.serviceSelector(namespace, key, selector);
        changed();
    }

    /** Adds or updates a node (pods kept); pods seen earlier for this node are attached. */
    public void upsertNode(Node node) {
        topology.node(node);
        NodeState existing = nodeOrNull(node.name());
        NodeState state = existing != null ? existing.withNode(node) : NodeState.of(node);
        Map<String, PodRequest> waiting = detached.remove(node.name());
        if (waiting != null) {
            for (PodRequest p : waiting.values()) {
                state = state.reserve(p);
                podNode.put(p.uid(), node.name());
                detachedNode.remove(p.uid());
            }
        }
        if (existing == null && nominatedByNode.containsKey(node.name())) {
            state = state.withNominated(nominatedTo(node.name()));
        }
        put(state);
    }

    /**
     * Sets a node's usage figures from its usage view (a fresh report), or clears them ({@code view == null}: no
     * report, or it went stale) so the pools fall back to requests. Unknown nodes are ignored.
     *
     * @param nodeName       the node
     * @param view           the node's usage per tier, computed over the pods this state holds on it, or null
     * @param classOfTier    accounting class per tier name
     * @param estimateFactor young pods count as request × this
     */
    public void setUsage(
            String nodeName,
            UsageView view,
            Function<String, io.qshard.core.model.PoolRule> classOfTier,
            double estimateFactor) {
        NodeState state = nodeOrNull(nodeName);
        if (state != null) {
            put(state.withUsage(
                    view == null || view.conservative() ? null : ClassUsage.of(view, classOfTier, estimateFactor)));
        }
    }

    /**
     * Sets the usage view's verdicts on a node (hot by the migration rule, hotspot probability) so that plugins read
     * them from the snapshot. Unknown nodes are ignored; unchanged values publish nothing.
     */
    public void setHeat(String nodeName, boolean hot, double hotspotProbability) {
        NodeState state = nodeOrNull(nodeName);
        if (state != null) {
            NodeState next = state.withHeat(hot, hotspotProbability);
            if (next != state) {
                put(next);
            }
        }
    }

    /** Removes a node; its pods are kept aside in case the node comes back (e.g. moved between shards). */
    public void removeNode(String name) {
        NodeState state = nodeOrNull(name);
        if (state == null) {
            return;
        }
        Map<String, PodRequest> keep = new HashMap<>();
        for (PodRequest p : state.podList()) {
            keep.put(p.uid(), p);
            podNode.remove(p.uid());
            detachedNode.put(p.uid(), name);
        }
        if (!keep.isEmpty()) {
            detached.put(name, keep);
        }
        drop(name);
    }

    /**
     * Records a pod bound (or assumed) to {@code pod.nodeName()}; moves it if it was on another node; a
     * pending pod (no node) is removed from accounting.
     */
    public void upsertPod(PodRequest pod) {
        String target = pod.nodeName();
        String current = podNode.get(pod.uid());
        if (current != null && current.equals(target)) {
            NodeState s = nodeOrNull(target);
            // labels, affinity or terminating changed, or it started (preemption ranks victims by status.startTime):
            // the node keeps the new pod too
            if (topology.place(pod) | s.startTimeDiffers(pod)) {
                put(s.replace(pod));
            }
            return; // assumed earlier, now confirmed
        }
        if (current == null && target != null && target.equals(detachedNode.get(pod.uid()))) {
            detached.get(target).put(pod.uid(), pod); // another shard's pod, updated in place
            if (topology.place(pod)) {
                changed();
            }
            return;
        }
        removePod(pod.uid());
        if (target == null) {
            return;
        }
        topology.place(pod);
        volumes.podPlaced(pod); // claim users (ReadWriteOncePod); the put or changed() below publishes it
        NodeState node = nodeOrNull(target);
        if (node != null) {
            put(node.reserve(pod));
            podNode.put(pod.uid(), target);
        } else {
            detached.computeIfAbsent(target, k -> new HashMap<>()).put(pod.uid(), pod);
            detachedNode.put(pod.uid(), target);
            changed(); // the topology counts it
        }
    }

    /** Assumes {@code pod} on {@code nodeName} before the binding is confirmed. */
    public void assume(PodRequest pod, String nodeName) {
        upsertPod(pod.boundTo(nodeName));
    }

    /** Forgets a pod everywhere (deleted, or an assumption whose binding failed), its nomination too. */
    public void removePod(String uid) {
        unnominate(uid);
        boolean forgotten = topology.forget(uid);
        if (volumes.podRemoved(uid) || forgotten) {
            changed();
        }
        String node = podNode.remove(uid);
        if (node != null) {
            NodeState s = nodeOrNull(node);
            if (s != null) {
                put(s.unreserve(uid));
            }
            return;
        }
        String away = detachedNode.remove(uid);
        if (away != null) {
            Map<String, PodRequest> pods = detached.get(away);
            pods.remove(uid);
            if (pods.isEmpty()) {
                detached.remove(away);
            }
        }
    }

    /** Adds, replaces ({@code budget} not null) or deletes (null) the PodDisruptionBudget {@code namespace/name}. */
    public void budget(String namespace, String name, DisruptionBudget budget) {
        String key = namespace + "/" + name;
        boolean changed = budget == null ? budgets.remove(key) != null : !budget.equals(budgets.put(key, budget));
        if (changed) {
            budgetList = null;
            changed();
        }
    }

    // ---- nominations (pending pods a preemption made room for) ----------------------------------------------

    /**
     * Records that pending {@code pod} is nominated to {@code pod.details().nominatedNode()}, replacing an earlier
     * nomination of it; a pod without one is unnominated. Every filter run counts the room of the pods nominated to a
     * node that have at least its priority ({@link NodeState#withNominatedFor}), until they bind or give up.
     */
    public void nominate(PodRequest pod) {
        String target = pod.details().nominatedNode();
        if (target == null || pod.nodeName() != null) {
            unnominate(pod.uid());
            return;
        }
        PodRequest previous = nominations.put(pod.uid(), pod);
        if (pod.equals(previous)) {
            return; // an echo of what is recorded: nothing to publish
        }
        if (previous != null && !previous.details().nominatedNode().equals(target)) {
            dropFromNode(previous);
            refreshNominated(previous.details().nominatedNode());
        }
        nominatedByNode
                .computeIfAbsent(target, k -> new java.util.LinkedHashMap<>())
                .put(pod.uid(), pod);
        refreshNominated(target);
    }

    private void dropFromNode(PodRequest p) {
        Map<String, PodRequest> on = nominatedByNode.get(p.details().nominatedNode());
        if (on != null) {
            on.remove(p.uid());
            if (on.isEmpty()) {
                nominatedByNode.remove(p.details().nominatedNode());
            }
        }
    }

    /** Drops the nomination of the pod of this uid, if any. */
    public void unnominate(String uid) {
        PodRequest previous = nominations.remove(uid);
        if (previous != null) {
            dropFromNode(previous);
            refreshNominated(previous.details().nominatedNode());
        }
    }

    /** The pending pods nominated now (for tools and tests). */
    public java.util.Collection<PodRequest> nominations() {
        return java.util.Collections.unmodifiableCollection(nominations.values());
    }

    private void refreshNominated(String nodeName) {
        NodeState s = nodeOrNull(nodeName);
        if (s != null) {
            put(s.withNominated(nominatedTo(nodeName)));
        }
    }

    private java.util.List<PodRequest> nominatedTo(String nodeName) {
        Map<String, PodRequest> on = nominatedByNode.get(nodeName);
        return on == null ? java.util.List.of() : java.util.List.copyOf(on.values());
    }

    // ---- volumes (informer events and the VolumeBinding plugin's assumptions) ----------------------------------

    /** Sets which volume sources are listed, waiting, forbidden or unserved. */
    public void volumeSources(VolumeSources sources) {
        if (volumes.sources(sources)) {
            changed();
        }
    }

    /** The volume sources' current states. */
    public VolumeSources volumeSources() {
        return volumes.sources();
    }

    /** A PersistentVolumeClaim was seen or changed. */
    public void upsertClaim(VolumeClaim claim) {
        if (volumes.upsertClaim(claim)) {
            changed();
        }
    }

    /** A PersistentVolumeClaim is gone. */
    public void deleteClaim(String namespace, String name) {
        if (volumes.deleteClaim(namespace, name)) {
            changed();
        }
    }

    /** A PersistentVolume was seen or changed. */
    public void upsertVolume(PersistentVolume volume) {
        if (volumes.upsertVolume(volume)) {
            changed();
        }
    }

    /** A PersistentVolume is gone. */
    public void deleteVolume(String name) {
        if (volumes.deleteVolume(name)) {
            changed();
        }
    }

    /** Sets a StorageClass, or forgets it ({@code sc == null}). */
    public void storageClass(String name, StorageClass sc) {
        if (volumes.storageClass(name, sc)) {
            changed();
        }
    }

    /** Sets a node's CSINode attach limits, or forgets them ({@code limits == null}). */
    public void csiNode(String node, CsiNodeLimits limits) {
        if (volumes.csiNode(node, limits)) {
            changed();
        }
    }

    /**
     * Records a volume decision at Reserve: from the next snapshot on, its PVs read as pre-bound to their claims and its
     * claims as provisioned on its node, until {@link #forgetVolumes} or until the informer shows the API's answer.
     */
    public void assumeVolumes(VolumeDecision decision) {
        volumes.assume(decision);
        changed();
    }

    /** Undoes {@link #assumeVolumes} (idempotent). */
    public void forgetVolumes(VolumeDecision decision) {
        volumes.forget(decision);
        changed();
    }

    /** The node a pod is accounted on, if any. */
    public Optional<String> nodeOf(String uid) {
        return Optional.ofNullable(podNode.get(uid));
    }

    /** Number of pods accounted on nodes held here. */
    public int accountedPods() {
        return podNode.size();
    }
}
