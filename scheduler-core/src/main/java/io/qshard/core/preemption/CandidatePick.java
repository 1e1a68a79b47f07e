package io.qshard.core.preemption;

import io.qshard.core.model.PodRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * kube-scheduler 1.20's {@code pickOneNodeForPreemption}: of the candidate nodes, keep those with
 *
 * <ol>
 *   <li>the fewest disruption-budget violations;
 *   <li>the lowest priority of the <em>first</em> victim (1.20 reads {@code Pods[0]}, which after the reprieve need
 *       not be the highest; {@link Victims#pods});
 *   <li>the lowest Σ (priority + 2<sup>31</sup>) over the victims (so each victim costs, negative priorities too);
 *   <li>the fewest victims;
 * </ol>
 * stopping as soon as one is left; then the one whose highest-priority victims started latest (the earliest start
 * among the victims of the highest priority, compared strictly: the first keeps a tie), else the first. "First" is
 * the order of {@code candidates} (1.20 walks a Go map there: random). A candidate without victims — on which 1.20
 * would panic at step 2 when it ties at step 1 — counts as the lowest priority at step 2. Stateless.
 */
public final class CandidatePick {
    private static final long OFFSET = 1L << 31; // math.MaxInt32 + 1

    private CandidatePick() {}

    /** The chosen candidate, or null when there is none. */
    public static Victims pick(List<Victims> candidates, VictimOrder order) {
        if (candidates.size() <= 1) {
            return candidates.isEmpty() ? null : candidates.get(0);
        }
        List<Victims> left = fewest(candidates, v -> v.pdbViolations());
        left = left.size() == 1 ? left : fewest(left, v -> v.pods().isEmpty() ? Long.MIN_VALUE : first(v));
        left = left.size() == 1 ? left : fewest(left, CandidatePick::adjustedSum);
        left = left.size() == 1 ? left : fewest(left, v -> v.pods().size());
        if (left.size() == 1) {
            return left.get(0);
        }
        Victims chosen = left.get(0);
        Instant latest = earliestStartOfHighest(chosen, order);
        for (int i = 1; i < left.size() && latest != null; i++) {
            Instant e = earliestStartOfHighest(left.get(i), order);
            if (e != null && e.isAfter(latest)) {
                latest = e;
                chosen = left.get(i);
            }
        }
        return chosen;
    }

    private static long first(Victims v) {
        return v.pods().get(0).priority();
    }

    private static long adjustedSum(Victims v) {
        long sum = 0;
        for (PodRequest p : v.pods()) {
            sum += p.priority() + OFFSET;
        }
        return sum;
    }

    /** The candidates with the smallest {@code key}, in their order. */
    private static List<Victims> fewest(List<Victims> in, ToLongFunction<Victims> key) {
        long min = Long.MAX_VALUE;
        List<Victims> out = new ArrayList<>();
        for (Victims v : in) {
            long k = key.applyAsLong(v);
            if (k < min) {
                min = k;
                out.clear();
            }
            if (k == min) {
                out.add(v);
            }
        }
        return out;
    }

    /** 1.20's {@code GetEarliestPodStartTime}: among the victims of the highest priority, the earliest start; null if none. */
    static Instant earliestStartOfHighest(Victims v, VictimOrder order) {
        Instant earliest = null;
        int highest = Integer.MIN_VALUE;
        for (PodRequest p : v.pods()) {
            Instant t = order.startTime(p);
            if (earliest == null || p.priority() > highest) {
                highest = p.priority();
                earliest = t;
            } else if (p.priority() == highest && t.isBefore(earliest)) {
                earliest = t;
            }
        }
        return earliest;
    }
}
