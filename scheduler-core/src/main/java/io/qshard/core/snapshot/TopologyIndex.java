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
 * copy of that group's per-node counts. Not thread-safe (the decision thread writes).
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
    private final ConcurrentHashMap<Object, int[]> memo = new ConcurrentHashMap<>();
    private Topology published = Topology.EMPTY;

    /** The current view; O(1) when nothing changed since the last call. */
    Topology topology() {
        if (published == null) {
            if (nodesWritable != null) {
                nodes = new ClusterNodes(nodesWritable);
                nodesWritable = null;
            }
            published = new Topology(groups, affinity, affinityCount, nodes, namespaces, workloads, memo);
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
            if (!key.affinity().isEmpty()) {
                if (affinityCount == affinity.length) {
                    affinity = Arrays.copyOf(affinity, affinityCount * 2);
                }
                affinity[affinityCount++] = id;
            }
        }
        Placement now = new Placement(id, pod.nodeName());
        Placement before = pods.put(pod.uid(), now);
        if (now.equals(before)) {
            return false;
        }
        if (before != null) {
            groups = groups.set(before.group(), groups.get(before.group()).plus(before.node(), -1));
        }
        groups = groups.set(id, groups.get(id).plus(pod.nodeName(), 1));
        published = null;
        return true;
    }

    /** Stops counting pod {@code uid} (deleted, finished, or an assumption given up); unknown uids are ignored. */
    boolean forget(String uid) {
        Placement before = pods.remove(uid);
        if (before == null) {
            return false;
        }
        groups = groups.set(before.group(), groups.get(before.group()).plus(before.node(), -1));
        published = null;
        return true;
    }

    /**
     * Sets a node (only its labels and taints matter here; allocatable changes are not a topology change).
     *
     * @return whether anything changed
     */
    boolean node(Node node) {
        Node now = current(node.name());
        if (now != null && now.labels().equals(node.labels()) && now.taints().equals(node.taints())) {
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
