package io.qshard.core.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pod found no node: the first failing filter's status for every node evaluated, aggregated by
 * reason, rendered as kube-scheduler 1.20's message (its sort: "count reason" as strings):
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

    /** The PreFilter status that rejected the pod for every node, or null when Filters ran. */
    public Status preFilterFailure() {
        return preFilterFailure;
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
        if (preFilterFailure != null) { // kube-scheduler counts every node under the PreFilter's reasons
            List<String> parts = new ArrayList<>();
            for (String r : preFilterFailure.reasons()) {
                parts.add(totalNodes + " " + r);
            }
            Collections.sort(parts);
            return "0/" + totalNodes + " nodes are available: " + String.join(", ", parts) + ".";
        }
        if (totalNodes == 0) {
            return "0/0 nodes are available: no nodes in this scheduler's shard.";
        }
        // "<count> <reason>" sorted as strings, as kube-scheduler 1.20's FitError does ("10 …" before "2 …")
        List<String> parts = new ArrayList<>();
        reasonCounts.forEach((reason, count) -> parts.add(count + " " + reason));
        Collections.sort(parts);
        return "0/" + totalNodes + " nodes are available: " + String.join(", ", parts) + ".";
    }

    @Override
    public String toString() {
        return message();
    }
}
