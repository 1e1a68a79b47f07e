package io.qshard.core.snapshot;

import io.qshard.core.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every node of the cluster — every shard's, not only the nodes a scheduler instance places on — for
 * plugins whose rules span topology domains (inter-pod affinity, topology spread). Changes only when a node is
 * added, deleted, relabelled, retainted or its images change, so derived structures (e.g. the domains of a key) are memoised per instance.
 * Thread-safe: immutable apart from the memo, whose values must be immutable functions of this instance.
 */
public final class ClusterNodes {
    static final ClusterNodes EMPTY = new ClusterNodes(Map.of());
    /** Memo entries beyond this are dropped all at once (plugins key them by pod constraints, which are few). */
    private static final int MEMO_LIMIT = 4096;

    private final Map<String, Node> byNode;
    private final ConcurrentHashMap<Object, Object> memo = new ConcurrentHashMap<>();

    /** @param byNode owned from now on: never written again by the caller */
    ClusterNodes(Map<String, Node> byNode) {
        this.byNode = byNode;
    }

    /** Labels of {@code node}, or null when no such node is known. */
    public Map<String, String> labels(String node) {
        Node n = byNode.get(node);
        return n == null ? null : n.labels();
    }

    /** The node named {@code node} (labels, taints…), or null when no such node is known. */
    public Node node(String node) {
        return byNode.get(node);
    }

    /** Number of known nodes. */
    public int size() {
        return byNode.size();
    }

    /** Calls {@code each} with every node (unspecified order). */
    public void forEach(Consumer<Node> each) {
        byNode.values().forEach(each);
    }

    /** Node names per value of label {@code key} (nodes without it are absent); memoised, immutable. */
    public Map<String, List<String>> byValue(String key) {
        return memo(new ByValue(key), n -> {
            Map<String, List<String>> out = new HashMap<>();
            for (Node node : byNode.values()) {
                String v = node.labels().get(key);
                if (v != null) {
                    out.computeIfAbsent(v, x -> new ArrayList<>()).add(node.name());
                }
            }
            out.replaceAll((v, names) -> List.copyOf(names));
            return Map.copyOf(out);
        });
    }

    private record ByValue(String key) {}

    /** Key of a node without the label in {@link #domainCounts} (no label value can contain a NUL). */
    public static final String MISSING = "\u0000";

    /**
     * The pods of {@code group} per value of label {@code key} of their nodes: nodes unknown here are skipped, nodes
     * without the label count under {@link #MISSING}. Memoised per group object (groups are immutable; a changed
     * group is a new object), so a workload whose pods did not move is summed once, not on every decision.
     */
    public Map<String, Integer> domainCounts(PodGroup group, String key) {
        // small groups (often the ones that change on every decision) are summed on the spot: memoising them would
        // only churn the memo and evict the big groups it is for
        return group.nodes().size() < MEMO_MIN_NODES
                ? sumDomains(group, key)
                : memo(new GroupDomains(group, key), n -> sumDomains(group, key));
    }

    /** Groups on fewer nodes than this are not memoised by {@link #domainCounts}. */
    static final int MEMO_MIN_NODES = 32;

    private Map<String, Integer> sumDomains(PodGroup group, String key) {
        Map<String, Integer> out = new HashMap<>();
        group.forEachNode((node, pods) -> {
            Node known = byNode.get(node);
            if (known != null) {
                out.merge(known.labels().getOrDefault(key, MISSING), pods, Integer::sum);
            }
        });
        return java.util.Collections.unmodifiableMap(out); // HashMap lookups: hash compared before equals
    }

    /** A memo key by the group's identity. */
    private record GroupDomains(PodGroup group, String key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof GroupDomains g && g.group == group && g.key.equals(key);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(group) * 31 + key.hashCode();
        }
    }

    /** A copy of the map, for the writer. */
    Map<String, Node> copy() {
        return new java.util.HashMap<>(byNode);
    }

    /**
     * {@code compute(this)} memoised under {@code key} for this instance. {@code key} must capture everything the
     * result depends on besides these labels (equals/hashCode by value); the result must be immutable.
     */
    @SuppressWarnings("unchecked")
    public <T> T memo(Object key, Function<ClusterNodes, T> compute) {
        Object v = memo.get(key);
        if (v == null) {
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            v = compute.apply(this);
            memo.putIfAbsent(key, v);
        }
        return (T) v;
    }
}
