package io.qshard.core.snapshot;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer side of {@link Topology}, owned by a {@link ClusterState}: pods are counted into their
 * {@link PodGroup} as they are bound, assumed, moved or forgotten — on any node of the cluster — and
 * {@link #topology()} hands out the current immutable view. Costs per pod event: one group key hash and one
 * copy of that group's per-node counts. Groups left without pods (finished Jobs, old ReplicaSets' label sets) are
 * dropped in a compaction once they are most of the groups: ids are renumbered and the match memo starts afresh,
 * so memory and per-decision scans stay proportional to the live groups. Not thread-safe (the decision thread writes).
 */
final class TopologyIndex {
    private record Placement(int group, String node) {}

    private PersistentArray<PodGroup> groups = PersistentArray.empty();
    private final HashMap<PodGroup.Key, Integer> groupIds = new HashMap<>();
    private final HashMap<String, Placement> pods = new HashMap<>();
    private int[] affinity = new int[8];
    private int affinityCount;
    private ClusterNodes nodes = ClusterNodes.EMPTY;
    private Map<String, Node> nodesWritable;
    private Map<String, Map<String, String>> namespaces = Map.of();
    private WorkloadSelectors workloads = WorkloadSelectors.EMPTY;
    private ConcurrentHashMap<Object, int[]> memo = new ConcurrentHashMap<>();
    private Topology published = Topology.EMPTY;
    /** Groups with no pods. */
    private int empty;
    /** Pods counted in groups that carry (anti-)affinity terms. */
    private int affinityPods;

    /** Compaction runs when more than this many groups, and most groups, are empty. */
    static final int COMPACT_MIN_EMPTY = 256;

    /** The current view; O(1) when nothing changed since the last call. */
    Topology topology() {
        if (published == null) {
            if (nodesWritable != null) {
                nodes = new ClusterNodes(nodesWritable);
                nodesWritable = null;
            }
            published = new Topology(groups, affinity, affinityCount, affinityPods, nodes, namespaces, workloads, memo);
        }
        return published;
    }

    /**
     * Counts {@code pod} on {@code pod.nodeName()} (moving it if it was counted elsewhere or in another group).
     *
     * @return whether anything changed
     */
    boolean place(PodRequest pod) {
        PodGroup.Key key = PodGroup.Key.of(pod);
        Integer id = groupIds.get(key);
        if (id == null) {
            id = groups.size();
            groupIds.put(key, id);
            groups = groups.append(PodGroup.empty(id, key));
            empty++;
            if (!key.affinity().isEmpty()) {
                appendAffinityGroup(id);
            }
        }
        Placement now = new Placement(id, pod.nodeName());
        Placement before = pods.put(pod.uid(), now);
        if (now.equals(before)) {
            return false;
        }
        count(id, pod.nodeName(), 1);
        if (before != null) {
            count(before.group(), before.node(), -1);
        }
        published = null;
        compactIfSparse();
        return true;
    }

    private void count(int id, String node, int delta) {
        PodGroup g = groups.get(id).plus(node, delta);
        groups = groups.set(id, g);
        if (g.total() == 0) {
            empty++;
        } else if (g.total() == delta) {
            empty--;
        }
        if (!g.affinity().isEmpty()) {
            affinityPods += delta;
        }
    }

    /** Drops the empty groups when they are most of them (amortised O(1) per event: it needs as many emptyings). */
    private void compactIfSparse() {
        if (empty <= COMPACT_MIN_EMPTY || empty * 2 <= groups.size()) {
            return;
        }
        int[] newId = new int[groups.size()];
        PersistentArray<PodGroup> live = PersistentArray.empty();
        affinity = new int[8]; // published snapshots keep the old array
        affinityCount = 0;
        groupIds.clear();
        for (int i = 0; i < groups.size(); i++) {
            PodGroup g = groups.get(i);
            if (g.total() == 0) {
                newId[i] = -1;
                continue;
            }
            int id = live.size();
            newId[i] = id;
            live = live.append(g.withId(id));
            groupIds.put(PodGroup.Key.of(g), id);
            if (!g.affinity().isEmpty()) {
                appendAffinityGroup(id);
            }
        }
        pods.replaceAll((uid, p) -> new Placement(newId[p.group()], p.node()));
        groups = live;
        empty = 0;
        memo = new ConcurrentHashMap<>(); // ids changed: older snapshots keep their own memo
    }

    /**
     * Appends to the affinity-group ids. In place while there is room: snapshots read only their first
     * {@code affinityCount} entries, so a write past them is invisible to every published view.
     */
    private void appendAffinityGroup(int id) {
        if (affinityCount == affinity.length) {
            affinity = Arrays.copyOf(affinity, affinityCount * 2);
        }
        affinity[affinityCount++] = id;
    }

    /** Number of groups held, pods or not (for tests). */
    int groupCount() {
        return groups.size();
    }

    /** Stops counting pod {@code uid} (deleted, finished, or an assumption given up); unknown uids are ignored. */
    boolean forget(String uid) {
        Placement before = pods.remove(uid);
        if (before == null) {
            return false;
        }
        count(before.group(), before.node(), -1);
        published = null;
        compactIfSparse();
        return true;
    }

    /**
     * Sets a node (only its labels, taints and images matter here — images for ImageLocality's cluster-wide counts;
     * allocatable changes are not a topology change).
     *
     * @return whether anything changed
     */
    boolean node(Node node) {
        Node now = current(node.name());
        if (now != null
                && now.labels().equals(node.labels())
                && now.taints().equals(node.taints())
                && (now.images() == node.images() || now.images().equals(node.images()))) {
            return false;
        }
        writable().put(node.name(), node);
        published = null;
        return true;
    }

    /** Forgets a node deleted from the cluster; returns whether it was known. */
    boolean deleteNode(String name) {
        if (current(name) == null) {
            return false;
        }
        writable().remove(name);
        published = null;
        return true;
    }

    private Map<String, Node> writable() {
        if (nodesWritable == null) {
            nodesWritable = nodes.copy();
        }
        return nodesWritable;
    }

    private Node current(String node) {
        return nodesWritable != null ? nodesWritable.get(node) : nodes.node(node);
    }

    /** Sets a namespace's labels, or forgets it ({@code labels == null}). */
    void namespaceLabels(String namespace, Map<String, String> labels) {
        HashMap<String, Map<String, String>> next = new HashMap<>(namespaces);
        if (labels == null) {
            next.remove(namespace);
        } else {
            next.put(namespace, Map.copyOf(labels));
        }
        namespaces = Map.copyOf(next);
        published = null;
    }

    /** Sets ({@code selector != null}) or removes a controller's selector. */
    void controllerSelector(String namespace, String uid, LabelSelector selector) {
        workloads = workloads.withController(namespace, uid, selector);
        published = null;
    }

    /** Sets ({@code selector} non-empty) or removes a Service's selector. */
    void serviceSelector(String namespace, String key, Map<String, String> selector) {
        workloads = workloads.withService(namespace, key, selector);
        published = null;
    }
}
