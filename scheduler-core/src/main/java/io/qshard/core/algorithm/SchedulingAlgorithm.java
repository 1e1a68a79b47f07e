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

    /**
     * Explains a decision for {@code pod} over every node of {@code snapshot}: each node's filter verdict, and each
     * feasible node's per-plugin scores and total (see {@link Explanation}). Costs a full pass; for tools, not the
     * hot path. Never throws for expected rejections.
     */
    public Explanation explain(ClusterSnapshot snapshot, PodRequest pod) {
        CycleState state = new CycleState();
        int n = snapshot.size();
        FilterPlugin[] filters = this.filters;
        List<String> names = Arrays.stream(scorers).map(ScorePlugin::name).toList();
        List<Long> w = Arrays.stream(weights).boxed().toList();
        for (PreFilterPlugin p : preFilters) {
            Status s = p.preFilter(state, pod);
            if (s.code() == Status.Code.SKIP) {
                filters = without(filters, p);
            } else if (!s.isSuccess()) {
                return new Explanation(Diagnosis.preFilterFailed(s, n), List.of(), names, w);
            }
        }
        Diagnosis diagnosis = new Diagnosis().totalNodes(n);
        NodeState[] feasible = new NodeState[n];
        int found = 0;
        for (int i = 0; i < n; i++) {
            NodeState node = snapshot.node(i);
            Status s = runFilters(filters, state, pod, node);
            if (s.isSuccess()) {
                feasible[found++] = node;
            } else {
                diagnosis.add(node.name(), s);
            }
        }
        List<Explanation.NodeScore> ranked = new java.util.ArrayList<>();
        if (found > 0) {
            long[][] perPlugin = new long[scorers.length][];
            boolean[] skipped = skipped(state, pod, feasible, found);
            for (int j = 0; j < scorers.length; j++) {
                if (skipped[j]) {
                    continue;
                }
                long[] raw = new long[found];
                scorers[j].scoreAll(state, pod, feasible, found, raw);
                scorers[j].normalize(state, pod, raw, found);
                perPlugin[j] = raw;
            }
            for (int k = 0; k < found; k++) {
                java.util.Map<String, Long> scores = new java.util.LinkedHashMap<>();
                long total = 0;
                for (int j = 0; j < scorers.length; j++) {
                    long v = perPlugin[j] == null ? -1 : perPlugin[j][k];
                    scores.put(names.get(j), v);
                    total += perPlugin[j] == null ? 0 : weights[j] * v;
                }
                ranked.add(new Explanation.NodeScore(feasible[k].name(), total, scores));
            }
            ranked.sort(java.util.Comparator.comparingLong(Explanation.NodeScore::total).reversed()
                    .thenComparing(Explanation.NodeScore::node));
        }
        return new Explanation(diagnosis, ranked, names, w);
    }

    private boolean[] skipped(CycleState state, PodRequest pod, NodeState[] feasible, int found) {
        boolean[] skip = new boolean[scorers.length];
        for (PreScorePlugin p : preScores) {
            if (p.preScore(state, pod, feasible, found).code() == Status.Code.SKIP) {
                for (int j = 0; j < scorers.length; j++) {
                    skip[j] |= scorers[j] == p;
                }
            }
        }
        return skip;
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
            for (PreScorePlugin p : preScores) {
                if (p.preScore(state, pod, feasible, found).code() == Status.Code.SKIP) {
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

    /**
     * Index of the maximum; among equal maxima each is chosen with equal probability. Two passes (find the
     * maximum and count it, then walk to the chosen one) draw one random number per decision — reservoir
     * sampling draws one per tie, and on a fleet of identical nodes nearly every node ties.
     */
    static int pickBest(long[] total, int count, SplittableRandom random) {
        long max = total[0];
        int ties = 1;
        for (int k = 1; k < count; k++) {
            long t = total[k];
            if (t > max) {
                max = t;
                ties = 1;
            } else if (t == max) {
                ties++;
            }
        }
        int skip = ties == 1 ? 0 : random.nextInt(ties);
        for (int k = 0; k < count; k++) {
            if (total[k] == max && skip-- == 0) {
                return k;
            }
        }
        throw new IllegalStateException("unreachable: the maximum is in the array");
    }

    /** SplitMix64 finaliser: spreads seeds so nearby seeds start at unrelated nodes. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
