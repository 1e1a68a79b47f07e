package io.qshard.core.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod found no node: the first failing filter's status for every node evaluated, aggregated by
 * reason, rendered like kube-scheduler's message:
 * {@code "0/1000 nodes are available: 998 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}."}
 * Built by one thread during one cycle, then immutable in practice (accessors return copies/views).
 */
public final class Diagnosis {
    private final Map<String, Integer> reasonCounts = new TreeMap<>();
    private final Map<String, Status> byNode = new LinkedHashMap<>();
    private Status preFilterFailure;
    private int totalNodes;
    private boolean unresolvableOnly = true;

    /** Records the failing status of one node. */
    public void add(String nodeName, Status status) {
        byNode.put(nodeName, status);
        for (String r : status.reasons()) {
            reasonCounts.merge(r, 1, Integer::sum);
        }
        if (status.code() != Status.Code.UNRESOLVABLE) {
            unresolvableOnly = false;
        }
    }

    /** A PreFilter rejected the pod before any node was looked at. */
    public static Diagnosis preFilterFailed(Status status, int totalNodes) {
        Diagnosis d = new Diagnosis();
        d.preFilterFailure = status;
        d.totalNodes = totalNodes;
        d.unresolvableOnly = status.code() == Status.Code.UNRESOLVABLE;
        return d;
    }

    /** Sets the number of nodes in the snapshot (the "/N" of the message). */
    public Diagnosis totalNodes(int n) {
        totalNodes = n;
        return this;
    }

    /** Failing status per evaluated node, in evaluation order. */
    public Map<String, Status> byNode() {
        return Collections.unmodifiableMap(byNode);
    }

    /** Node count per reason. */
    public Map<String, Integer> reasonCounts() {
        return Collections.unmodifiableMap(reasonCounts);
    }

    /**
     * Whether no node can become feasible by freeing resources (every failure unresolvable): such pods need
     * a node or pod spec change, not just capacity.
     */
    public boolean unresolvable() {
        return unresolvableOnly && (preFilterFailure != null || !byNode.isEmpty());
    }

    /** The aggregated one-line message. */
    public String message() {
        if (preFilterFailure != null) {
            return "0/" + totalNodes + " nodes are available: " + preFilterFailure.message() + ".";
        }
        if (totalNodes == 0) {
            return "0/0 nodes are available: no nodes in this scheduler's shard.";
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(reasonCounts.entrySet());
        entries.sort(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                .reversed()
                .thenComparing(Map.Entry::getKey));
        StringBuilder sb = new StringBuilder("0/").append(totalNodes).append(" nodes are available");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : entries) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.append('.').toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
