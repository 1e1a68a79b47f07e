package io.qshard.core.snapshot;

import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the topology plugins read of the whole cluster in one snapshot: every node's labels, every bound and assumed
 * pod in {@link PodGroup}s counted per node, the namespaces' labels, and the selectors that define a pod's default
 * spread. Cluster-wide even in a sharded tier (docs/architecture.md, "Pod topology"). Immutable and thread-safe;
 * the group-matching memo is shared between snapshots of one {@link ClusterState} until it compacts its groups (a
 * group's identity never changes under one memo).
 */
public final class Topology {
    static final Topology EMPTY = new Topology(
            PersistentArray.empty(),
            new int[0],
            0,
            0,
            ClusterNodes.EMPTY,
            Map.of(),
            WorkloadSelectors.EMPTY,
            new ConcurrentHashMap<>());
    private static final int MEMO_LIMIT = 8192;

    private final PersistentArray<PodGroup> groups;
    private final int[] affinityGroups;
    private final int affinityCount;
    private final int affinityPods;
    private final ClusterNodes nodes;
    private final Map<String, Map<String, String>> namespaceLabels;
    private final WorkloadSelectors workloads;
    private final ConcurrentHashMap<Object, int[]> matchMemo;

    Topology(
            PersistentArray<PodGroup> groups,
            int[] affinityGroups,
            int affinityCount,
            int affinityPods,
            ClusterNodes nodes,
            Map<String, Map<String, String>> namespaceLabels,
            WorkloadSelectors workloads,
            ConcurrentHashMap<Object, int[]> matchMemo) {
        this.groups = groups;
        this.affinityGroups = affinityGroups;
        this.affinityCount = affinityCount;
        this.affinityPods = affinityPods;
        this.nodes = nodes;
        this.namespaceLabels = namespaceLabels;
        this.workloads = workloads;
        this.matchMemo = matchMemo;
    }

    /**
     * This topology without one bound pod (for tools that explain a bound pod's placement as if it were pending, and
     * for planning moves): O(groups). Unchanged when the pod is not counted.
     */
    Topology without(PodRequest pod) {
        if (pod.nodeName() == null) {
            return this;
        }
        PodGroup.Key key = PodGroup.Key.of(pod);
        for (int i = 0; i < groups.size(); i++) {
            PodGroup g = groups.get(i);
            if (PodGroup.Key.of(g).equals(key) && g.nodes().containsKey(pod.nodeName())) {
                return derived(
                        groups.set(i, g.plus(pod.nodeName(), -1)),
                        affinityGroups,
                        affinityCount,
                        g.affinity().isEmpty() ? affinityPods : affinityPods - 1);
            }
        }
        return this;
    }

    /**
     * This topology with one more bound pod, counted on {@code pod.nodeName()} in the group of its
     * {@link PodGroup.Key} (a new group, appended, when there is none): the inverse of {@link #without}, for
     * planning moves on a snapshot. O(groups). The derived topology's group ids may diverge from the
     * {@link ClusterState}'s (an appended id is one the state may give another group later), so it gets its own
     * match memo.
     *
     * @param pod a bound pod ({@code nodeName} set) not counted here yet
     */
    Topology with(PodRequest pod) {
        String node = pod.nodeName();
        PodGroup.Key key = PodGroup.Key.of(pod);
        for (int i = 0; i < groups.size(); i++) {
            PodGroup g = groups.get(i);
            if (PodGroup.Key.of(g).equals(key)) {
                return derived(
                        groups.set(i, g.plus(node, 1)),
                        affinityGroups,
                        affinityCount,
                        g.affinity().isEmpty() ? affinityPods : affinityPods + 1);
            }
        }
        int id = groups.size();
        int[] affinity = affinityGroups;
        int count = affinityCount;
        if (!key.affinity().isEmpty()) { // a copy: the writer's array may be shared past affinityCount
            affinity = Arrays.copyOf(affinityGroups, affinityCount + 1);
            affinity[count++] = id;
        }
        return derived(
                groups.append(PodGroup.empty(id, key).plus(node, 1)),
                affinity,
                count,
                key.affinity().isEmpty() ? affinityPods : affinityPods + 1);
    }

    /**
     * A topology with other pod counts and the same nodes, namespaces and selectors. Its group ids may diverge from
     * the {@link ClusterState}'s, so it gets its own match memo.
     */
    private Topology derived(PersistentArray<PodGroup> g, int[] affinity, int count, int pods) {
        return new Topology(g, affinity, count, pods, nodes, namespaceLabels, workloads, new ConcurrentHashMap<>());
    }

    /** Every node, cluster-wide (labels and taints define domains; allocatable may be stale here). */
    public ClusterNodes nodes() {
        return nodes;
    }

    /** Number of groups; ids are 0 … groupCount − 1. */
    public int groupCount() {
        return groups.size();
    }

    /** The group {@code id} (possibly with no pods left). */
    public PodGroup group(int id) {
        return groups.get(id);
    }

    /** Ids (ascending) of the groups whose pods carry inter-pod affinity or anti-affinity terms of any kind. */
    public int[] affinityGroups() {
        return Arrays.copyOf(affinityGroups, affinityCount);
    }

    /** Number of {@link #affinityGroups()}; some may have no pods left (see {@link #hasAffinityPods()}). */
    public int affinityGroupCount() {
        return affinityCount;
    }

    /** Whether any pod counted here carries (anti-)affinity terms: the cheap test plugins skip on. */
    public boolean hasAffinityPods() {
        return affinityPods > 0;
    }

    /** Labels of a namespace; empty when unknown. */
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    /**
     * The selector of kube-scheduler's default spread constraints for {@code pod}: the conjunction of the selectors of
     * the Services, ReplicaSets, StatefulSets and ReplicationControllers of its namespace that select it;
     * {@link LabelSelector#NOTHING} when there is none (then no default constraint applies).
     */
    public LabelSelector defaultSpreadSelector(PodRequest pod) {
        return workloads.defaultSelector(pod);
    }

    /** Ids (ascending) of the groups in {@code namespace} whose labels {@code selector} matches; memoised. */
    public int[] matching(String namespace, LabelSelector selector) {
        return memoised(
                new NamespaceQuery(namespace, selector),
                g -> g.namespace().equals(namespace) && selector.matches(g.labels()));
    }

    /** Ids (ascending) of the groups {@code term} selects (namespaces and labels); memoised. */
    public int[] matching(PodAffinityTerm term) {
        if (term.namespaceSelector() != null) { // namespace labels change: not memoised
            return scan(0, g -> term.matches(g.namespace(), g.labels(), this::namespaceLabels), new int[0]);
        }
        PodAffinityTerm key = new PodAffinityTerm(term.selector(), term.namespaces(), null, "");
        return memoised(key, g -> term.matches(g.namespace(), g.labels(), this::namespaceLabels));
    }

    private record NamespaceQuery(String namespace, LabelSelector selector) {}

    /** A memo entry: the matching ids among the first {@code scanned} groups. */
    private int[] memoised(Object key, java.util.function.Predicate<PodGroup> test) {
        int n = groups.size();
        int[] hit = matchMemo.get(key);
        // entry layout: [scanned, id, id, …]
        if (hit == null || hit[0] < n) {
            if (hit == null && matchMemo.size() >= MEMO_LIMIT) {
                matchMemo.clear();
            }
            int from = hit == null ? 0 : hit[0];
            int[] ids = scan(from, test, hit == null ? new int[0] : Arrays.copyOfRange(hit, 1, hit.length));
            int[] entry = new int[ids.length + 1];
            entry[0] = n;
            System.arraycopy(ids, 0, entry, 1, ids.length);
            matchMemo.merge(key, entry, (a, b) -> a[0] >= b[0] ? a : b);
            hit = entry;
        }
        // a newer snapshot may have scanned further: keep only ids this snapshot has
        int end = hit.length;
        while (end > 1 && hit[end - 1] >= n) {
            end--;
        }
        return Arrays.copyOfRange(hit, 1, end);
    }

    private int[] scan(int from, java.util.function.Predicate<PodGroup> test, int[] prefix) {
        int[] out = Arrays.copyOf(prefix, prefix.length + 8);
        int k = prefix.length;
        for (int i = from; i < groups.size(); i++) {
            if (test.test(groups.get(i))) {
                if (k == out.length) {
                    out = Arrays.copyOf(out, k * 2);
                }
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }
}
