package io.qshard.core.snapshot;

import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodRequest;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * Bound and assumed pods that no topology plugin can tell apart — same namespace, labels, inter-pod affinity and
 * terminating flag — counted per node, cluster-wide. The replicas of one workload are one group, so a selector is
 * matched once per group, not once per pod. Immutable; a group keeps its id (and identity fields) for the life of
 * the {@link ClusterState}, possibly with no pods.
 *
 * @param id          position in {@link Topology#group}
 * @param namespace   the pods' namespace
 * @param labels      the pods' labels
 * @param affinity    the pods' inter-pod affinity
 * @param terminating the pods have a deletion timestamp
 * @param nodes       node name → number of this group's pods on it (entries &gt; 0 only); immutable, O(1) updates
 * @param total       sum of {@code nodes}' counts
 */
public record PodGroup(
        int id,
        String namespace,
        Map<String, String> labels,
        PodAffinity affinity,
        boolean terminating,
        Map<String, Integer> nodes,
        int total) {
    /** What makes two pods one group. */
    record Key(String namespace, Map<String, String> labels, PodAffinity affinity, boolean terminating) {
        static Key of(PodRequest p) {
            return new Key(p.namespace(), p.labels(), p.podAffinity(), p.terminating());
        }

        static Key of(PodGroup g) {
            return new Key(g.namespace(), g.labels(), g.affinity(), g.terminating());
        }
    }

    static PodGroup empty(int id, Key k) {
        return new PodGroup(id, k.namespace(), k.labels(), k.affinity(), k.terminating(), CountMap.EMPTY, 0);
    }

    /** Calls {@code each} with every node holding pods of this group and their number; the fast way to walk them. */
    public void forEachNode(ObjIntConsumer<String> each) {
        if (nodes instanceof CountMap c) {
            c.forEachCount(each);
        } else {
            nodes.forEach(each::accept);
        }
    }

    /** This group under another id (compaction). */
    PodGroup withId(int newId) {
        return new PodGroup(newId, namespace, labels, affinity, terminating, nodes, total);
    }

    /** This group with one more ({@code delta} = 1) or one fewer ({@code delta} = −1) pod on {@code node}. */
    PodGroup plus(String node, int delta) {
        return new PodGroup(
                id, namespace, labels, affinity, terminating, ((CountMap) nodes).plus(node, delta), total + delta);
    }
}
