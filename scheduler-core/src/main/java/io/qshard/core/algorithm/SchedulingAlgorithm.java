package io.qshard.core.algorithm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/**
 * Places one pod: PreFilter → Filter (from a start node derived from the seed, stopping after
 * {@link NodesToScore#feasibleToFind} feasible nodes) → PreScore → Score, normalise, weight → the highest
 * total, ties broken by a seeded random choice. The result is a pure function of (snapshot, pod, seed):
 * the runtime passes a fresh seed per cycle (e.g. a counter) and gets reproducible decisions.
 *
 * <p>Immutable and thread-safe (all per-cycle data is local); one instance per tier profile.
 */
public final class SchedulingAlgorithm {
    private final PreFilterPlugin[] preFilters;
    private final FilterPlugin[] filters;
    private final PreScorePlugin[] preScores;
    private final ScorePlugin[] scorers;
    private final long[] weights;
    private final NodesToScore nodesToScore;

    public SchedulingAlgorithm(Profile profile, NodesToScore nodesToScore) {
        this.preFilters = profile.preFilters().toArray(PreFilterPlugin[]::new);
        this.filters = profile.filters().toArray(FilterPlugin[]::new);
        this.preScores = profile.preScores().toArray(PreScorePlugin[]::new);
        this.scorers = profile.scorers().toArray(ScorePlugin[]::new);
        this.weights = new long[scorers.length];
        for (int i = 0; i < scorers.length; i++) {
            weights[i] = profile.weight(i);
        }
        this.nodesToScore = nodesToScore;
    }

    /** Decides where {@code pod} goes on {@code snapshot}. Never throws for expected rejections. */
    public ScheduleResult schedule(ClusterSnapshot snapshot, PodRequest pod, long seed) {
        CycleState state = new CycleState();
        int n = snapshot.size();
        FilterPlugin[] filters = this.filters;
        for (PreFilterPlugin p : preFilters) {
            Status s = p.preFilter(state, pod);
            if (s.code() == Status.Code.SKIP) {
                filters = without(filters, p);
            } else if (!s.isSuccess()) {
                return ScheduleResult.unschedulable(Diagnosis.preFilterFailed(s, n), 0);
            }
        }
        if (n == 0) {
            return ScheduleResult.unschedulable(new Diagnosis().totalNodes(0), 0);
        }
        long mixed = mix(seed ^ pod.uid().hashCode());
        int want = nodesToScore.feasibleToFind(n);
        NodeState[] feasible = new NodeState[want];
        int found = 0;
        int evaluated = 0;
        // Failures are only turned into a Diagnosis when nothing fits; on success they cost two array stores.
        int[] failedAt = null;
        Status[] failedWith = null;
        int failed = 0;
        int idx = (int) Math.floorMod(mixed, (long) n);
        for (int i = 0; i < n && found < want; i++, idx = idx + 1 == n ? 0 : idx + 1) {
            NodeState node = snapshot.node(idx);
            evaluated++;
            Status s = runFilters(filters, state, pod, node);
            if (s.isSuccess()) {
                feasible[found++] = node;
            } else {
                if (failedAt == null || failed == failedAt.length) {
                    int size = failedAt == null ? 64 : failed * 2;
                    failedAt = failedAt == null ? new int[size] : Arrays.copyOf(failedAt, size);
                    failedWith = failedWith == null ? new Status[size] : Arrays.copyOf(failedWith, size);
                }
                failedAt[failed] = idx;
                failedWith[failed++] = s;
            }
        }
        if (found == 0) {
            Diagnosis diagnosis = new Diagnosis();
            for (int k = 0; k < failed; k++) {
                diagnosis.add(snapshot.node(failedAt[k]).name(), failedWith[k]);
            }
            return ScheduleResult.unschedulable(diagnosis.totalNodes(n), evaluated);
        }
        if (found == 1) {
            return ScheduleResult.placed(feasible[0].name(), 0, evaluated, 1);
        }
        long[] total = score(state, pod, feasible, found);
        int best = pickBest(total, found, new SplittableRandom(mixed));
        return ScheduleResult.placed(feasible[best].name(), total[best], evaluated, found);
    }

    private static Status runFilters(FilterPlugin[] filters, CycleState state, PodRequest pod, NodeState node) {
        for (FilterPlugin f : filters) {
            Status s = f.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    private long[] score(CycleState state, PodRequest pod, NodeState[] feasible, int found) {
        boolean[] skip = null;
        if (preScores.length > 0) {
            List<NodeState> view = Arrays.asList(feasible).subList(0, found);
            for (PreScorePlugin p : preScores) {
                if (p.preScore(state, pod, view).code() == Status.Code.SKIP) {
                    for (int j = 0; j < scorers.length; j++) {
                        if (scorers[j] == p) {
                            skip = skip == null ? new boolean[scorers.length] : skip;
                            skip[j] = true;
                        }
                    }
                }
            }
        }
        long[] total = new long[found];
        long[] raw = new long[found];
        for (int j = 0; j < scorers.length; j++) {
            if (skip != null && skip[j]) {
                continue;
            }
            ScorePlugin s = scorers[j];
            s.scoreAll(state, pod, feasible, found, raw);
            s.normalize(state, pod, raw, found);
            long w = weights[j];
            for (int k = 0; k < found; k++) {
                total[k] += w * raw[k];
            }
        }
        return total;
    }

    private static FilterPlugin[] without(FilterPlugin[] filters, Object plugin) {
        return Arrays.stream(filters).filter(f -> f != plugin).toArray(FilterPlugin[]::new);
    }

    /** Index of the maximum; among equal maxima each is chosen with equal probability (reservoir sampling). */
    static int pickBest(long[] total, int count, SplittableRandom random) {
        int best = 0;
        int ties = 1;
        for (int k = 1; k < count; k++) {
            if (total[k] > total[best]) {
                best = k;
                ties = 1;
            } else if (total[k] == total[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = k;
                }
            }
        }
        return best;
    }

    /** SplitMix64 finaliser: spreads seeds so nearby seeds start at unrelated nodes. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
