package io.qshard.core.snapshot;

import io.qshard.core.model.DisruptionBudget;
import io.qshard.core.model.PodRequest;
import io.qshard.core.volume.VolumeCatalog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable view one scheduling cycle works on: the nodes of one shard with their pods, the cluster-wide pod
 * topology and the volume objects ({@link #volumes()}). Updating one
 * node costs O(n/64 + 64) reference copies ({@link PersistentArray}); adding or removing a node through
 * {@link #with}/{@link #without} also copies the name index ({@link ClusterState} batches those: it copies the
 * index at most once per published snapshot). Node order is stable except that removing a node moves the last
 * node into its slot. Thread-safe because immutable: the index map is never written after construction.
 */
public final class ClusterSnapshot {
    private static final ClusterSnapshot EMPTY =
            new ClusterSnapshot(PersistentArray.empty(), new HashMap<>(), 0, Topology.EMPTY);

    private final PersistentArray<NodeState> nodes;
    /**
     * name → position; a HashMap (hash compared before equals) rather than {@code Map.copyOf}, whose open
     * addressing calls {@code equals} on every probed key — node names differing in their last digits cluster.
     */
    private final Map<String, Integer> index;

    private final long generation;
    private final Topology topology;
    private final VolumeCatalog volumes;
    private final List<DisruptionBudget> budgets;

    /** @param index owned by the new snapshot from now on: the caller must never write it again */
    ClusterSnapshot(PersistentArray<NodeState> nodes, Map<String, Integer> index, long generation, Topology topology) {
        this(nodes, index, generation, topology, VolumeCatalog.EMPTY);
    }

    /** @param index owned by the new snapshot from now on: the caller must never write it again */
    ClusterSnapshot(
            PersistentArray<NodeState> nodes,
            Map<String, Integer> index,
            long generation,
            Topology topology,
            VolumeCatalog volumes) {
        this(nodes, index, generation, topology, volumes, List.of());
    }

    /** @param index owned by the new snapshot from now on: the caller must never write it again */
    ClusterSnapshot(
            PersistentArray<NodeState> nodes,
            Map<String, Integer> index,
            long generation,
            Topology topology,
            VolumeCatalog volumes,
            List<DisruptionBudget> budgets) {
        this.budgets = budgets;
        this.nodes = nodes;
        this.index = index;
        this.generation = generation;
        this.topology = topology;
        this.volumes = volumes;
    }

    /**
     * The PersistentVolumeClaims, PersistentVolumes, StorageClasses and CSINode limits at this snapshot, with the
     * volume bindings assumed but not yet confirmed overlaid ({@link VolumeCatalog}); {@link VolumeCatalog#EMPTY} for
     * a state that is not told of volumes.
     */
    public VolumeCatalog volumes() {
        return volumes;
    }

    /** The PodDisruptionBudgets of every namespace at this snapshot (preemption reads them), unmodifiable. */
    public List<DisruptionBudget> budgets() {
        return budgets;
    }

    /** This snapshot with {@code list} as its disruption budgets (tests and tools that build snapshots by hand). */
    public ClusterSnapshot withBudgets(List<DisruptionBudget> list) {
        return new ClusterSnapshot(nodes, index, generation + 1, topology, volumes, List.copyOf(list));
    }

    /** This snapshot with {@code catalog} as its volumes (tests and tools that build snapshots by hand). */
    public ClusterSnapshot withVolumes(VolumeCatalog catalog) {
        return new ClusterSnapshot(
                nodes, index, generation + 1, topology, java.util.Objects.requireNonNull(catalog), budgets);
    }

    /** The cluster-wide pod topology (all shards' nodes and pods) at this snapshot. */
    public Topology topology() {
        return topology;
    }

    public static ClusterSnapshot empty() {
        return EMPTY;
    }

    /** Incremented by every change; equal generations mean equal contents. */
    public long generation() {
        return generation;
    }

    public int size() {
        return nodes.size();
    }

    /** The node at position {@code i}, 0 ≤ i < size. */
    public NodeState node(int i) {
        return nodes.get(i);
    }

    /**
     * Ascending positions of this snapshot's nodes whose label {@code key} is {@code value}; memoised per node set and
     * node labels (both change rarely), so callers get them without a lookup per node. Do not modify the array.
     */
    public int[] positionsWithLabel(String key, String value) {
        return topology.nodes().memo(new Positions(index, key, value), nodes -> {
            java.util.List<String> names = nodes.byValue(key).getOrDefault(value, java.util.List.of());
            int[] out = new int[names.size()];
            int k = 0;
            for (String name : names) {
                Integer i = index.get(name);
                if (i != null) {
                    out[k++] = i;
                }
            }
            out = java.util.Arrays.copyOf(out, k);
            java.util.Arrays.sort(out);
            return out;
        });
    }

    /** Memo key: the name index by identity (never written once a snapshot holds it), a label and its value. */
    private record Positions(Map<String, Integer> index, String key, String value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Positions p && p.index == index && p.key.equals(key) && p.value.equals(value);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(index) * 31 + key.hashCode()) * 31 + value.hashCode();
        }
    }

    /** Position of the node named {@code name}, or −1. */
    public int position(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    public Optional<NodeState> node(String name) {
        Integer i = index.get(name);
        return i == null ? Optional.empty() : Optional.of(nodes.get(i));
    }

    /**
     * This snapshot with {@code state} added, or replacing the node of the same name. The {@link #topology()} is kept
     * as it is: a pod reserved or released this way is not counted or uncounted there, and the node's labels must be
     * those the topology has (to move a pod, use {@link #withoutPod}/{@link #withPod}).
     */
    public ClusterSnapshot with(NodeState state) {
        Map<String, Integer> idx = index.containsKey(state.name()) ? index : new HashMap<>(index);
        return new ClusterSnapshot(put(nodes, idx, state), idx, generation + 1, topology, volumes, budgets);
    }

    /**
     * This snapshot as if the bound pod {@code pod} were pending: off its node and out of the topology's counts (for
     * explaining a bound pod's placement, or planning its move with {@link #withPod}; O(groups)). Unchanged parts are shared.
     */
    public ClusterSnapshot withoutPod(PodRequest pod) {
        ClusterSnapshot s = this;
        if (pod.nodeName() != null) {
            Optional<NodeState> home = node(pod.nodeName());
            if (home.isPresent() && home.get().hasPod(pod.uid())) {
                s = with(home.get().unreserve(pod.uid()));
            }
        }
        Topology t = topology.without(pod);
        return t == topology ? s : new ClusterSnapshot(s.nodes, s.index, s.generation + 1, t, volumes, budgets);
    }

    /**
     * This snapshot with the bound pod {@code pod} added: reserved on {@code pod.nodeName()} when this snapshot holds
     * that node, and counted there in the topology's counts whether or not it does (the topology is cluster-wide); the
     * inverse of {@link #withoutPod}. For planning a move: {@code s.withoutPod(p).withPod(p.boundTo(target))}. O(groups);
     * unchanged parts are shared.
     *
     * @param pod a pod bound to a node ({@code nodeName} set) that this snapshot does not count yet
     * @throws IllegalArgumentException if the pod is not bound, or its node here already holds a pod of its uid (the
     *     topology cannot tell a second count of the same pod apart: that would be a caller's bug)
     */
    public ClusterSnapshot withPod(PodRequest pod) {
        if (pod.nodeName() == null) {
            throw new IllegalArgumentException("withPod: pod " + pod.key() + " has no nodeName");
        }
        ClusterSnapshot s = this;
        Optional<NodeState> home = node(pod.nodeName());
        if (home.isPresent()) {
            if (home.get().hasPod(pod.uid())) {
                throw new IllegalArgumentException(
                        "withPod: pod " + pod.key() + " (uid " + pod.uid() + ") is already on " + pod.nodeName());
            }
            s = with(home.get().reserve(pod));
        }
        return new ClusterSnapshot(s.nodes, s.index, s.generation + 1, topology.with(pod), volumes, budgets);
    }

    /** This snapshot without the node named {@code name} (unchanged if absent). */
    public ClusterSnapshot without(String name) {
        if (!index.containsKey(name)) {
            return this;
        }
        Map<String, Integer> idx = new HashMap<>(index);
        return new ClusterSnapshot(remove(nodes, idx, name), idx, generation + 1, topology, volumes, budgets);
    }

    /**
     * {@code nodes} with {@code state} added, or replacing the node of its name; {@code index} is written only when a
     * node is added (the caller passes a map it may write then). Shared with {@link ClusterState}.
     */
    static PersistentArray<NodeState> put(
            PersistentArray<NodeState> nodes, Map<String, Integer> index, NodeState state) {
        Integer i = index.get(state.name());
        if (i != null) {
            return nodes.set(i, state);
        }
        index.put(state.name(), nodes.size());
        return nodes.append(state);
    }

    /** {@code nodes} without the node {@code name}, the last node moved into its slot; {@code index} is written. */
    static PersistentArray<NodeState> remove(
            PersistentArray<NodeState> nodes, Map<String, Integer> index, String name) {
        Integer i = index.remove(name);
        if (i == null) {
            return nodes;
        }
        int last = nodes.size() - 1;
        if (i != last) {
            NodeState moved = nodes.get(last);
            nodes = nodes.set(i, moved);
            index.put(moved.name(), i);
        }
        return nodes.removeLast();
    }
}
