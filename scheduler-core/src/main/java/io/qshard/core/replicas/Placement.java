package io.qshard.core.replicas;

import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.replicas.Recommendation.Kind;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Phase 2 of the planner on an evolving planning snapshot. First the owed pending replicas ({@link OwedBeforeLent}) of
 * every workload, most important first; then, most important first, with the other pending pods merged in
 * by priority (first at equal priority), place each other workload's pending replicas with its tier's algorithm (those that
 * do not fit are PENDING), then add replicas while the algorithm places them, the class's net pool stays ≥ the band for
 * every resource the replica asks (each added replica costing max(its estimate, ū)), and C + added ≤ max. The other pending pods and the hosted scale-ups each have a
 * budget of {@link ReplicaPlanner#MAX_PLACEMENTS} placement attempts; past its budget a workload that could grow is
 * NOT_PLANNED. A workload's own pending replicas are always tried (at most its pending count, stopping at the first
 * that does not fit), so a surge of other pending pods never hides that they are PENDING. A tier without an algorithm
 * makes that workload NOT_PLANNED with the reason. While a class has an owed claim, the classes strictly containing it
 * get no ROOM (STEADY with the reason). Mutable, one use, one thread.
 */
final class Placement {
    private ClusterSnapshot s;
    private final PoolBalance balance;
    private final Function<String, SchedulingAlgorithm> algorithms;
    private final long seed;
    /** Attempts spent on hosted scale-ups (ROOM), against {@link ReplicaPlanner#MAX_PLACEMENTS}. */
    private int placements;
    /** Attempts spent on the other pending pods, against their own {@link ReplicaPlanner#MAX_PLACEMENTS}. */
    private int otherPlacements;
    /** Classes that get no ROOM (owed before lent), each with the STEADY note; set after the owed pass. */
    private Map<PoolRule, String> noRoom = Map.of();

    Placement(
            ClusterSnapshot snapshot,
            PoolBalance balance,
            Function<String, SchedulingAlgorithm> algorithms,
            long seed) {
        this.s = snapshot;
        this.balance = balance;
        this.algorithms = algorithms;
        this.seed = seed;
    }

    /**
     * Fills the recommendations phase 1 left null. Owed before lent ({@link OwedBeforeLent}): first, most important
     * first, the pending replicas of the workloads at or below max(request, min) are placed (those that do not fit are
     * PENDING, the owed claims); then, with ROOM barred in the classes that can pay a claim, the rest as before.
     */
    void run(List<HostedWorkload> workloads, List<PodRequest> otherPending, Recommendation[] out) {
        int next = 0;
        Recommendation[] owed = new Recommendation[workloads.size()];
        boolean[] placed = new boolean[workloads.size()];
        for (int i = 0; i < workloads.size(); i++) {
            HostedWorkload w = workloads.get(i);
            SchedulingAlgorithm a = w.template().poolRule() == PoolRule.ALLOCATABLE ? null : algorithms.apply(w.tier());
            if (out[i] != null || a == null || w.pending() <= 0 || w.current() > OwedBeforeLent.owed(w)) {
                continue;
            }
            next = placeOthers(otherPending, next, w);
            int unplaced = w.pending() - placePending(a, w);
            placed[i] = true;
            if (unplaced > 0) {
                long netBefore = balance.net(w.template().poolRule(), 0);
                owed[i] = rec(
                        w,
                        w.current() - unplaced,
                        Kind.PENDING,
                        netBefore,
                        VirtualReplica.request(w.template(), 0),
                        unplaced,
                        0);
            }
        }
        noRoom = OwedBeforeLent.barred(workloads, owed);
        for (int i = 0; i < workloads.size(); i++) {
            HostedWorkload w = workloads.get(i);
            if (out[i] != null) {
                continue; // shed in phase 1
            }
            next = placeOthers(otherPending, next, w);
            out[i] = owed[i] != null ? owed[i] : plan(w, placed[i]);
        }
    }

    /** Places the other pending pods at least as important as {@code w}, from {@code next}. @return the new next */
    private int placeOthers(List<PodRequest> otherPending, int next, HostedWorkload w) {
        while (next < otherPending.size()
                && otherPending.get(next).priority() >= w.template().priority()) {
            placeOther(otherPending.get(next++));
        }
        return next;
    }

    /** Places w's pending replicas, stopping at the first that does not fit. @return how many were placed */
    private int placePending(SchedulingAlgorithm a, HostedWorkload w) {
        int pending = Math.max(0, w.pending());
        int placed = 0;
        while (placed < pending && placeIf(a, VirtualReplica.of(w, placed), null)) {
            placed++;
        }
        return placed;
    }

    private void placeOther(PodRequest pod) {
        SchedulingAlgorithm a = pod.tier() == null ? null : algorithms.apply(pod.tier());
        if (a != null && otherPlacements < ReplicaPlanner.MAX_PLACEMENTS) {
            otherPlacements++;
            placeIf(a, pod, null);
        }
    }

    /** @param pendingPlaced whether the owed pass placed all of w's pending replicas already */
    private Recommendation plan(HostedWorkload w, boolean pendingPlaced) {
        PoolRule rule = w.template().poolRule();
        long netBefore = balance.net(rule, 0);
        long perNew = VirtualReplica.request(w.template(), 0);
        if (rule == PoolRule.ALLOCATABLE) {
            return rec(w, w.current(), Kind.STEADY, netBefore, perNew, 0, 0);
        }
        SchedulingAlgorithm a = algorithms.apply(w.tier());
        if (a == null) {
            return new Recommendation(
                    w.key(),
                    w.current(),
                    Kind.NOT_PLANNED,
                    netBefore,
                    netBefore,
                    balance.band(0),
                    0,
                    perNew,
                    0,
                    0,
                    0,
                    "no scheduling algorithm for tier " + w.tier());
        }
        int pending = Math.max(0, w.pending());
        int placed = pendingPlaced ? pending : placePending(a, w);
        if (placed < pending) {
            int unplaced = pending - placed;
            return rec(w, w.current() - unplaced, Kind.PENDING, netBefore, perNew, unplaced, 0);
        }
        String barred = noRoom.get(rule);
        if (barred != null && w.current() < w.spec().max()) {
            return new Recommendation(
                    w.key(),
                    w.current(),
                    Kind.STEADY,
                    netBefore,
                    netBefore,
                    balance.band(0),
                    0,
                    perNew,
                    0,
                    0,
                    0,
                    barred);
        }
        if (placements >= ReplicaPlanner.MAX_PLACEMENTS
                && w.current() < w.spec().max()) {
            return rec(w, w.current(), Kind.NOT_PLANNED, netBefore, perNew, 0, 0);
        }
        int added = 0;
        long[] perReplica = {w.perReplica().milliCpu(), w.perReplica().memoryBytes()};
        long[] extra = new long[2];
        while (w.current() + added < w.spec().max() && placements < ReplicaPlanner.MAX_PLACEMENTS) {
            placements++;
            if (!placeIf(a, VirtualReplica.of(w, pending + added), rule, perReplica, extra)) {
                break;
            }
            added++;
        }
        return added > 0
                ? rec(w, w.current() + added, Kind.ROOM, netBefore, perNew, 0, added)
                : rec(w, w.current(), Kind.STEADY, netBefore, perNew, 0, 0);
    }

    private Recommendation rec(
            HostedWorkload w, int raw, Kind kind, long netBefore, long perNew, int unplaced, int added) {
        PoolRule rule = w.template().poolRule();
        long netAfter = rule == PoolRule.ALLOCATABLE ? netBefore : balance.net(rule, 0);
        return new Recommendation(w.key(), raw, kind, netBefore, netAfter, balance.band(0), 0, perNew, unplaced, added);
    }

    /** Places {@code pod} where its algorithm puts it, with no band check. @return whether placed */
    private boolean placeIf(SchedulingAlgorithm a, PodRequest pod, PoolRule bandOf) {
        return placeIf(a, pod, bandOf, null, null);
    }

    /**
     * Places {@code pod} where its algorithm puts it and, when {@code bandOf} is given, only if after it N(bandOf, r) −
     * extra(r) ≥ band(r) for each resource r it asks; else leaves all as it was. The pool charges a new replica its
     * estimate (request × estimate factor); when the workload's replicas are observed using more (ū), {@code extra}
     * accumulates the difference per added replica, so usage above the request does not over-state the room.
     *
     * @param perReplica ū per resource (cpu, memory), or null to charge the estimate only
     * @param extra      the workload's running Σ max(0, ū(r) − charged(r)), updated when placed; null with perReplica
     * @return whether placed
     */
    private boolean placeIf(SchedulingAlgorithm a, PodRequest pod, PoolRule bandOf, long[] perReplica, long[] extra) {
        ScheduleResult fit = a.schedule(s, pod, seed);
        if (!fit.isPlaced()) {
            return false;
        }
        NodeState before = s.node(fit.node()).orElseThrow();
        ClusterSnapshot after = s.withPod(pod.boundTo(fit.node()));
        NodeState now = after.node(fit.node()).orElseThrow();
        long[] netBefore = bandOf == null ? null : new long[] {balance.net(bandOf, 0), balance.net(bandOf, 1)};
        balance.replaced(before, now);
        long[] more = new long[2];
        if (bandOf != null) {
            for (int r = 0; r < 2; r++) {
                long net = balance.net(bandOf, r);
                if (perReplica != null) {
                    long charged = Math.max(0, Saturating.subtract(netBefore[r], net));
                    more[r] = Saturating.add(extra[r], Math.max(0, perReplica[r] - charged));
                    net = Saturating.subtract(net, more[r]);
                }
                if (VirtualReplica.request(pod, r) > 0 && net < balance.band(r)) {
                    balance.replaced(now, before);
                    return false;
                }
            }
            if (extra != null) {
                extra[0] = more[0];
                extra[1] = more[1];
            }
        }
        s = after;
        return true;
    }
}
