package io.qshard.core.algorithm;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.Objects;

/**
 * Decides runs of equivalent pods — the replicas of one workload, which arrive together — without filtering and
 * scoring every node again for each. A full decision keeps its window (the nodes it walked, their verdicts, every
 * scorer's raw scores); the next pod, if equivalent, re-filters and re-scores only the nodes whose
 * {@code NodeState} changed since (usually just the node the previous pod was assumed on), then normalises,
 * weights and breaks ties as usual. Each such decision is exactly the full decision from the window's start node
 * ({@link SchedulingAlgorithm#reuse}); after {@code maxReuses} of them, a full decision draws a fresh start, so a
 * long run spreads over the whole cluster as kube-scheduler's rotating start does.
 *
 * <p>Two pods are equivalent when every field a plugin may read is equal: all of {@link PodRequest} except uid,
 * name, creation time, node and labels (labels are read only by plugins that span nodes) — {@link PodRequest#details}
 * included: host ports decide whether NodePorts filters at all, non-zero requests what the resource scorers count.
 * Reuse applies only when every plugin of the profile is {@link io.qshard.core.framework.Plugin#nodeLocal} — the
 * hotspot plugins are, since they read the heat the usage view publishes into each node's state — or steps aside for
 * the pod: the topology plugins (inter-pod affinity, topology spread) span nodes, and a pod that one of their rules concerns is always
 * decided in full, on every node's current state.
 *
 * <p>Not thread-safe: one instance per decision thread; only the counters may be read from other threads.
 */
public final class DecisionReuse {
    /** Default for {@code scheduling.equivalentPodReuse}: decisions made from one window before a full one. */
    public static final int DEFAULT_MAX_REUSES = 15;

    private final SchedulingAlgorithm algorithm;
    private final int maxReuses;
    /** Package-private for tests. */
    final DecisionWindow window = new DecisionWindow();
    /** Written by the decision thread only; volatile so that metrics may read them from another thread. */
    private volatile long full;

    private volatile long reused;

    /**
     * @param maxReuses decisions made from one window before the next full decision, ≥ 0; 0 turns reuse off
     */
    public DecisionReuse(SchedulingAlgorithm algorithm, int maxReuses) {
        if (maxReuses < 0) {
            throw new IllegalArgumentException("maxReuses must be ≥ 0, was " + maxReuses);
        }
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.maxReuses = maxReuses;
    }

    /**
     * Decides where {@code pod} goes on {@code snapshot}, as {@link SchedulingAlgorithm#schedule} does. A plugin that
     * throws (a bug) leaves no half-updated window behind: the next decision is a full one.
     */
    public ScheduleResult schedule(ClusterSnapshot snapshot, PodRequest pod, long seed) {
        return schedule(snapshot, pod, seed, new CycleState());
    }

    /**
     * As {@link #schedule(ClusterSnapshot, PodRequest, long)}, leaving in {@code state} what PreFilter and PreScore
     * wrote for the pod (from the window, when the decision reused one), for the cycle's later steps.
     */
    public ScheduleResult schedule(ClusterSnapshot snapshot, PodRequest pod, long seed, CycleState state) {
        try {
            return decide(snapshot, pod, seed, state);
        } catch (RuntimeException e) {
            window.invalidate();
            throw e;
        }
    }

    private ScheduleResult decide(ClusterSnapshot snapshot, PodRequest pod, long seed, CycleState state) {
        boolean nominated = pod.details().nominatedNode() != null; // its verdicts leave out its own nomination
        if (!nominated && window.valid && window.reuses < maxReuses && equivalent(pod, window.leader)) {
            ScheduleResult r = algorithm.reuse(window, snapshot, pod, seed, state);
            if (r != null) {
                reused++;
                return r;
            }
        }
        full++;
        boolean keep = maxReuses > 0 && algorithm.nodeLocal() && !nominated;
        if (!keep) {
            window.invalidate();
        }
        return algorithm.decide(snapshot, pod, seed, -1, keep ? window : null, state);
    }

    /** Full decisions made so far (any thread). */
    public long fullDecisions() {
        return full;
    }

    /** Decisions made from a kept window so far (any thread). */
    public long reusedDecisions() {
        return reused;
    }

    /** Whether a plugin could tell {@code a} from {@code b}: false when equal on every field but identity and node. */
    static boolean equivalent(PodRequest a, PodRequest b) {
        return a == b
                || b != null
                        && Objects.equals(a.tier(), b.tier())
                        && a.poolRule() == b.poolRule()
                        && a.priority() == b.priority()
                        && a.requests().equals(b.requests())
                        && Objects.equals(a.namespace(), b.namespace())
                        && Objects.equals(a.owner(), b.owner())
                        && a.nodeSelector().equals(b.nodeSelector())
                        && a.affinity().equals(b.affinity())
                        && a.tolerations().equals(b.tolerations())
                        && a.podAffinity().equals(b.podAffinity())
                        && a.spread().equals(b.spread())
                        && (a.details() == b.details() || a.details().equals(b.details()));
    }
}
