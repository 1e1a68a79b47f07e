package io.qshard.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the schedulers know of a pod: identity, tier, size and placement constraints. Immutable.
 *
 * @param uid          pod uid
 * @param namespace    namespace
 * @param name         name
 * @param tier         qshard tier name, or null for pods of other schedulers (they count as prod)
 * @param poolRule     accounting class: the tier's pool rule; {@link PoolRule#ALLOCATABLE} for foreign pods
 * @param requests     effective requests (max of init containers and sum of containers), pods = 1
 * @param nodeSelector {@code spec.nodeSelector}
 * @param affinity     node affinity
 * @param tolerations  tolerations
 * @param priority     pod priority (PriorityClass value)
 * @param creationTime creation timestamp
 * @param owner        controller owner, or null
 * @param nodeName     the node it is bound or assumed to, or null while pending
 * @param labels       {@code metadata.labels}
 * @param podAffinity  inter-pod affinity and anti-affinity
 * @param spread       {@code spec.topologySpreadConstraints}, in order
 * @param terminating  has a {@code deletionTimestamp} (pod topology spread does not count it)
 * @param details      non-zero requests, host ports, volumes, images, scheduling gates ({@link PodDetails#NONE}; null
 *                     reads as it)
 * @param startMillis  {@code status.startTime} (when the kubelet started it) in epoch milliseconds, or {@link
 *                     #NOT_STARTED}; preemption ranks victims by it (kube-scheduler's {@code GetPodStartTime})
 */
public record PodRequest(
        String uid,
        String namespace,
        String name,
        String tier,
        PoolRule poolRule,
        Resources requests,
        Map<String, String> nodeSelector,
        NodeAffinity affinity,
        List<Toleration> tolerations,
        int priority,
        Instant creationTime,
        OwnerRef owner,
        String nodeName,
        Map<String, String> labels,
        PodAffinity podAffinity,
        List<TopologySpreadConstraint> spread,
        boolean terminating,
        PodDetails details,
        long startMillis) {
    /** {@link #startMillis} of a pod no kubelet has started. */
    public static final long NOT_STARTED = Long.MIN_VALUE;

    public PodRequest {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(poolRule, "poolRule");
        Objects.requireNonNull(requests, "requests");
        if (requests.pods() != 1) {
            throw new IllegalArgumentException(
                    "pod " + namespace + "/" + name + ": requests.pods must be 1, was " + requests.pods());
        }
        nodeSelector = Map.copyOf(nodeSelector);
        affinity = affinity == null ? NodeAffinity.NONE : affinity;
        tolerations = List.copyOf(tolerations);
        Objects.requireNonNull(creationTime, "creationTime");
        labels = Map.copyOf(labels);
        podAffinity = podAffinity == null ? PodAffinity.NONE : podAffinity;
        spread = List.copyOf(spread);
        details = details == null ? PodDetails.NONE : details;
    }

    /** A pod without {@link PodDetails}. */
    public PodRequest(
            String uid,
            String namespace,
            String name,
            String tier,
            PoolRule poolRule,
            Resources requests,
            Map<String, String> nodeSelector,
            NodeAffinity affinity,
            List<Toleration> tolerations,
            int priority,
            Instant creationTime,
            OwnerRef owner,
            String nodeName,
            Map<String, String> labels,
            PodAffinity podAffinity,
            List<TopologySpreadConstraint> spread,
            boolean terminating) {
        this(
                uid,
                namespace,
                name,
                tier,
                poolRule,
                requests,
                nodeSelector,
                affinity,
                tolerations,
                priority,
                creationTime,
                owner,
                nodeName,
                labels,
                podAffinity,
                spread,
                terminating,
                PodDetails.NONE,
                NOT_STARTED);
    }

    /** A pod without labels, inter-pod affinity or spread constraints, not terminating. */
    public PodRequest(
            String uid,
            String namespace,
            String name,
            String tier,
            PoolRule poolRule,
            Resources requests,
            Map<String, String> nodeSelector,
            NodeAffinity affinity,
            List<Toleration> tolerations,
            int priority,
            Instant creationTime,
            OwnerRef owner,
            String nodeName) {
        this(
                uid,
                namespace,
                name,
                tier,
                poolRule,
                requests,
                nodeSelector,
                affinity,
                tolerations,
                priority,
                creationTime,
                owner,
                nodeName,
                Map.of(),
                PodAffinity.NONE,
                List.of(),
                false,
                PodDetails.NONE,
                NOT_STARTED);
    }

    /** This pod with these labels, inter-pod affinity and spread constraints. */
    public PodRequest withTopology(
            Map<String, String> labels, PodAffinity podAffinity, List<TopologySpreadConstraint> spread) {
        return copy(nodeName, labels, podAffinity, spread, terminating, details, startMillis);
    }

    /** This pod with these details. */
    public PodRequest withDetails(PodDetails details) {
        return copy(nodeName, labels, podAffinity, spread, terminating, details, startMillis);
    }

    /** This pod marked terminating (or not). */
    public PodRequest withTerminating(boolean terminating) {
        return terminating == this.terminating
                ? this
                : copy(nodeName, labels, podAffinity, spread, terminating, details, startMillis);
    }

    /** The same pod bound (or assumed) to {@code node}. */
    public PodRequest boundTo(String node) {
        return copy(node, labels, podAffinity, spread, terminating, details, startMillis);
    }

    private PodRequest copy(
            String node,
            Map<String, String> labels,
            PodAffinity podAffinity,
            List<TopologySpreadConstraint> spread,
            boolean terminating,
            PodDetails details,
            long startMillis) {
        return new PodRequest(
                uid,
                namespace,
                name,
                tier,
                poolRule,
                requests,
                nodeSelector,
                affinity,
                tolerations,
                priority,
                creationTime,
                owner,
                node,
                labels,
                podAffinity,
                spread,
                terminating,
                details,
                startMillis);
    }

    /** When the kubelet started it ({@code status.startTime}), or null when it has not. */
    public Instant startTime() {
        return startMillis == NOT_STARTED ? null : Instant.ofEpochMilli(startMillis);
    }

    /** This pod as started at {@code t} (null: not started). */
    public PodRequest withStartTime(Instant t) {
        long ms = t == null ? NOT_STARTED : t.toEpochMilli();
        return ms == startMillis ? this : copy(nodeName, labels, podAffinity, spread, terminating, details, ms);
    }

    /**
     * The request kube-scheduler's resource scorers count for resource {@code r} (0 cpu, 1 memory): containers without
     * a request count {@link PodDetails#DEFAULT_MILLI_CPU} / {@link PodDetails#DEFAULT_MEMORY_BYTES}. A pod sized by the
     * batch extended resources is BestEffort on purpose and counts its (zero) native request.
     */
    public long nonZeroRequest(int r) {
        long stated = r == 0 ? details.nonZeroMilliCpu() : details.nonZeroMemoryBytes();
        if (stated < 0 || poolRule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED) {
            return r == 0 ? requests.milliCpu() : requests.memoryBytes();
        }
        return stated;
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    /** Whether a qshard tier owns this pod (false for pods of other schedulers). */
    public boolean isQshard() {
        return tier != null;
    }
}
