package io.qshard.controllers.replicas;

import io.qshard.controllers.view.ClusterView;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.replicas.HostedWorkload;
import io.qshard.core.replicas.HostingAnnotations;
import io.qshard.core.replicas.WorkloadKey;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one cycle plans on, read on the cluster view's thread: the snapshot, each candidate's {@link HostedWorkload}
 * (B and ū from the view's bound pods, mapped to workloads through their controller owners; P from C − B), the
 * borrowing tiers' pending pods no candidate owns, and the candidates whose scale-down must wait this cycle. Pure
 * given the view's state.
 *
 * <p>B counts a workload's bound pods that are not terminating nor being deleted. P = max(0, min(C, max) − B): the
 * replicas the owner asked for that are not running — not the pending pods seen, so a rollout's surge pods and an old
 * ReplicaSet's pods beyond C are no missing replicas, and a replica being removed is neither bound nor pending. A pod
 * owned by a ReplicaSet the owner map does not know (seen after its pods, or not listable) makes every Deployment-like
 * candidate of its namespace unsure: its P is 0 (its running pods may be the ones not counted) and its downs wait.
 *
 * @param snapshot      the cluster as viewed
 * @param workloads     the candidates as hosted workloads, in the candidates' order
 * @param otherPending  the borrowing tiers' pending pods that no candidate owns, highest priority first
 * @param nodes         nodes in the snapshot
 * @param reporting     nodes with a fresh usage report
 * @param holdDowns     candidates whose scale-down (SHED or PENDING) must wait this cycle → why: replicas still
 *                      leaving (terminating, or bound above C), or pods of a ReplicaSet not known yet
 */
record HostingInputs(
        ClusterSnapshot snapshot,
        List<HostedWorkload> workloads,
        List<PodRequest> otherPending,
        int nodes,
        int reporting,
        Map<WorkloadKey, String> holdDowns) {

    /** A workload that may be hosted this cycle, before the view is read. */
    record Candidate(WorkloadFacts facts, HostingAnnotations.Parsed parsed) {}

    /**
     * @param candidates     the workloads to host (valid, opted in, not targeted by an HPA)
     * @param workloadOf     a pod's controller owner uid → the workload uid it stands for, null when the owner is
     *                       not known ({@link WorkloadWatch#workloadOf})
     * @param deleting       whether a pod (by uid) is being deleted
     * @param estimateFactor young pods count at request × this (the pools' estimate factor)
     */
    static HostingInputs read(
            ClusterView.State s,
            List<Candidate> candidates,
            Function<String, String> workloadOf,
            Predicate<String> deleting,
            double estimateFactor) {
        ClusterSnapshot snapshot = s.cluster().snapshot();
        Map<String, Candidate> byUid = new HashMap<>();
        Set<String> namespaces = new HashSet<>();
        candidates.forEach(c -> {
            byUid.put(c.facts().uid(), c);
            namespaces.add(c.facts().key().namespace());
        });
        Map<String, long[]> bound = new HashMap<>(); // uid → {count, Σ cpu, Σ memory}
        Map<String, Integer> terminating = new HashMap<>();
        Set<String> unknownOwners = new HashSet<>(); // namespaces with a pod of an unknown ReplicaSet
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState n = snapshot.node(i);
            UsageReport report = s.usage().report(n.name());
            for (PodRequest p : n.pods()) {
                boolean leaving = p.terminating() || deleting.test(p.uid());
                String w = leaving // a leaving pod of a deleted ReplicaSet leaves the map complete
                        ? (p.owner() == null ? null : workloadOf.apply(p.owner().uid()))
                        : workload(p, workloadOf, unknownOwners);
                Candidate c = w == null ? null : byUid.get(w);
                if (c == null) {
                    continue;
                }
                if (leaving) {
                    terminating.merge(w, 1, Integer::sum);
                    continue;
                }
                Usage u = report == null ? null : report.pods().get(p.uid());
                if (u == null) {
                    u = request(c.facts().template()).times(estimateFactor);
                }
                long[] acc = bound.computeIfAbsent(w, k -> new long[3]);
                acc[0]++;
                acc[1] += u.milliCpu();
                acc[2] += u.memoryBytes();
            }
        }
        List<PodRequest> other = new ArrayList<>();
        for (PodRequest p : s.pending().values()) {
            boolean known = !unknownOwner(p, workloadOf);
            String w = workload(p, workloadOf, unknownOwners);
            if (w != null && byUid.containsKey(w)) {
                continue; // a candidate's: counted in its P = C − B
            }
            if (!known && namespaces.contains(p.namespace())) {
                continue; // may be a candidate's (that candidate is unsure)
            }
            if (p.tier() != null && p.poolRule() != PoolRule.ALLOCATABLE && !deleting.test(p.uid())) {
                other.add(p);
            }
        }
        other.sort(Comparator.comparingInt(PodRequest::priority).reversed().thenComparing(PodRequest::creationTime));
        List<HostedWorkload> workloads = new ArrayList<>();
        Map<WorkloadKey, String> holdDowns = new HashMap<>();
        for (Candidate c : candidates) {
            WorkloadFacts f = c.facts();
            long[] acc = bound.getOrDefault(f.uid(), new long[3]);
            int b = (int) acc[0];
            boolean unsure = unknownOwners.contains(f.key().namespace()) && throughReplicaSets(f.key());
            int p = unsure
                    ? 0
                    : Math.max(0, Math.min(f.replicas(), c.parsed().spec().max()) - b);
            int leaving = terminating.getOrDefault(f.uid(), 0) + Math.max(0, b - f.replicas());
            if (unsure) {
                holdDowns.put(
                        f.key(),
                        "pods of a ReplicaSet not known yet in " + f.key().namespace());
            } else if (leaving > 0) {
                holdDowns.put(f.key(), leaving + " replicas still leaving");
            }
            Usage r = request(f.template());
            Usage mean = b == 0 ? r.times(estimateFactor) : new Usage(acc[1] / b, acc[2] / b);
            Usage floor = new Usage(Math.max(r.milliCpu() / 10, 1), Math.max(r.memoryBytes() / 10, 1L << 20));
            workloads.add(new HostedWorkload(
                    f.key(),
                    f.uid(),
                    f.template().tier(),
                    f.template(),
                    c.parsed().spec(),
                    c.parsed().book(),
                    f.replicas(),
                    b,
                    p,
                    mean.max(floor),
                    f.created()));
        }
        return new HostingInputs(
                snapshot,
                workloads,
                List.copyOf(other),
                snapshot.size(),
                s.usage().reporting(),
                Map.copyOf(holdDowns));
    }

    /** The workload uid {@code p} stands for, or null; records the namespace of a pod of an unknown ReplicaSet. */
    private static String workload(PodRequest p, Function<String, String> workloadOf, Set<String> unknownOwners) {
        if (p.owner() == null) {
            return null;
        }
        String w = workloadOf.apply(p.owner().uid());
        if (w == null && unknownOwner(p, workloadOf)) {
            unknownOwners.add(p.namespace());
        }
        return w;
    }

    /** Whether {@code p} is owned by a ReplicaSet the owner map does not know. */
    private static boolean unknownOwner(PodRequest p, Function<String, String> workloadOf) {
        return p.owner() != null
                && "ReplicaSet".equals(p.owner().kind())
                && workloadOf.apply(p.owner().uid()) == null;
    }

    /** Whether the workload's pods are owned by ReplicaSets it owns (not a StatefulSet's or ReplicaSet's own pods). */
    private static boolean throughReplicaSets(WorkloadKey key) {
        return !(key.group().equals("apps")
                && (key.kind().equals("StatefulSet") || key.kind().equals("ReplicaSet")));
    }

    /** A pod's request as usage: native plus batch cpu and memory (a pod requests one or the other). */
    static Usage request(PodRequest p) {
        Resources r = p.requests();
        return new Usage(r.milliCpu() + r.batchMilliCpu(), r.memoryBytes() + r.batchMemoryBytes());
    }
}
