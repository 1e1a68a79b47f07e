package io.qshard.core.algorithm;

import io.qshard.core.framework.CandidateNodes;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.FilterHandle;
import io.qshard.core.framework.FilterPlugin;
import io.qshard.core.framework.PreFilterPlugin;
import io.qshard.core.framework.PreScorePlugin;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Places one pod: PreFilter → Filter (from a start node derived from the seed, stopping after
 * {@link NodesToScore#feasibleToFind} feasible nodes) → PreScore → Score, normalise, weight → the highest
 * total, ties broken by a seeded random choice. The result is a pure function of (snapshot, pod, seed):
 * the runtime passes a fresh seed per cycle (e.g. a counter) and gets reproducible decisions.
 * {@link DecisionReuse} makes the same decisions for runs of equivalent pods at a fraction of the cost.
 *
 * <p>Immutable and thread-safe (all per-cycle data is local; a {@link DecisionWindow} passed in belongs to the
 * caller's thread); one instance per tier profile.
 */
public final class SchedulingAlgorithm {
    private final PreFilterPlugin[] preFilters;
    private final FilterPlugin[] filters;
    private final PreScorePlugin[] preScores;
    private final ScorePlugin[] scorers;
    private final long[] weights;
    private final NodesToScore nodesToScore;
    /** Whether decisions may be reused at all: every plugin is node-local or can step aside per pod (SKIP). */
    private final boolean nodeLocal;
    /** The PreFilter plugins that are not node-local: each must SKIP for a pod whose decision is kept or reused. */
    private final PreFilterPlugin[] spanning;
    /** Per scorer: not node-local, so it must be skipped by PreScore in a kept or reused decision. */
    private final boolean[] spanningScorer;
    /**
     * The filters left once the PreFilters of a bitmask (bit i: {@code preFilters[i]}) SKIP, built on first use: most
     * pods skip the same handful of plugins (volumes, ports, topology), so a decision allocates no filter array.
     * Null when there are too many PreFilters for a table.
     */
    private final AtomicReferenceArray<FilterPlugin[]> filtersBySkips;

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
        this.spanning = Arrays.stream(preFilters).filter(p -> !p.nodeLocal()).toArray(PreFilterPlugin[]::new);
        this.spanningScorer = new boolean[scorers.length];
        boolean stepsAside = true;
        for (int j = 0; j < scorers.length; j++) {
            spanningScorer[j] = !scorers[j].nodeLocal();
            stepsAside &= !spanningScorer[j] || scorers[j] instanceof PreScorePlugin;
        }
        for (FilterPlugin f : filters) {
            stepsAside &= f.nodeLocal() || f instanceof PreFilterPlugin;
        }
        for (PreScorePlugin p : preScores) {
            stepsAside &= p.nodeLocal() || p instanceof ScorePlugin;
        }
        this.nodeLocal = stepsAside;
        this.filtersBySkips =
                preFilters.length <= MAX_SKIP_TABLE_BITS ? new AtomicReferenceArray<>(1 << preFilters.length) : null;
    }

    private static final int MAX_SKIP_TABLE_BITS = 12;

    /** The filters without those of the PreFilters in {@code skips} (a bitmask over {@code preFilters}; table only). */
    private FilterPlugin[] filtersWithout(int skips) {
        if (skips == 0) {
            return filters;
        }
        FilterPlugin[] f = filtersBySkips.get(skips);
        if (f == null) {
            f = filters;
            for (int i = 0; i < preFilters.length; i++) {
                if ((skips & (1 << i)) != 0) {
                    f = without(f, preFilters[i]);
                }
            }
            filtersBySkips.set(skips, f); // racing writers store equal arrays
        }
        return f;
    }

    /** Decides where {@code pod} goes on {@code snapshot}. Never throws for expected rejections. */
    public ScheduleResult schedule(ClusterSnapshot snapshot, PodRequest pod, long seed) {
        return decide(snapshot, pod, seed, -1, null, new CycleState());
    }

    /**
     * Whether decisions can be reused: every plugin of the profile is {@link io.qshard.core.framework.Plugin#nodeLocal},
     * or has a PreFilter (and PreScore, for a scorer) that can step aside per pod — checked on each decision.
     */
    public boolean nodeLocal() {
        return nodeLocal;
    }

    /**
     * The full decision.
     *
     * @param fixedStart ring start of the filter pass, or −1 for the one derived from the seed (tests compare reuse
     *                   with a full decision from the same start)
     * @param keep       when not null, records the decision's window into it; valid only if it scored ≥ 2 nodes
     * @param state      the cycle's state, empty; PreFilter and PreScore write into it for the cycle's later steps
     */
    ScheduleResult decide(
            ClusterSnapshot snapshot,
            PodRequest pod,
            long seed,
            int fixedStart,
            DecisionWindow keep,
            CycleState state) {
        return decide(snapshot, pod, seed, fixedStart, keep, state, true);
    }

    /** @param narrow whether PreFilter's candidate nodes may restrict the walk (false: walk every node's verdict) */
    ScheduleResult decide(
            ClusterSnapshot snapshot,
            PodRequest pod,
            long seed,
            int fixedStart,
            DecisionWindow keep,
            CycleState state,
            boolean narrow) {
        int n = snapshot.size();
        boolean spanningSkipped = true;
        CandidateNodes candidates = null;
        int skips = 0;
        FilterPlugin[] untabled = this.filters; // only without a table (more PreFilters than it has bits)
        for (int i = 0; i < preFilters.length; i++) {
            PreFilterPlugin p = preFilters[i];
            Status s = p.preFilter(state, pod, snapshot);
            if (s.code() == Status.Code.SKIP) {
                if (filtersBySkips != null) {
                    skips |= 1 << i;
                } else {
                    untabled = without(untabled, p);
                }
            } else if (!s.isSuccess()) {
                return ScheduleResult.unschedulable(Diagnosis.preFilterFailed(s, n), 0);
            } else {
                spanningSkipped &= p.nodeLocal();
                CandidateNodes c = narrow ? p.candidateNodes(state) : null;
                candidates = c != null && (candidates == null || c.nodes() < candidates.nodes()) ? c : candidates;
            }
        }
        FilterPlugin[] filters = filtersBySkips != null ? filtersWithout(skips) : untabled;
        if (!spanningSkipped && keep != null) {
            keep.invalidate(); // a rule spanning nodes takes part: nothing of this decision may be reused
            keep = null;
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
        int idx = fixedStart >= 0 ? fixedStart : (int) Math.floorMod(mixed, (long) n);
        if (keep != null) {
            keep.begin(pod, state, filters, n, idx);
        }
        // a PreFilter named the only nodes its Filter can pass: walk those, in the same ring order
        BitSet order = keep == null && candidates != null ? CandidateOrder.positions(snapshot, candidates) : null;
        int steps = order == null ? n : order.cardinality();
        int ringStart = idx;
        for (int i = 0; i < steps && found < want; i++) {
            if (order != null) { // the next candidate position in ring order
                int at = order.nextSetBit(i == 0 ? ringStart : idx + 1);
                idx = at >= 0 ? at : order.nextSetBit(0);
            } else if (i > 0) {
                idx = idx + 1 == n ? 0 : idx + 1;
            }
            NodeState node = snapshot.node(idx);
            evaluated++;
            Status s = runFilters(filters, state, pod, node);
            if (s.isSuccess()) {
                if (keep != null) {
                    keep.walked(node, found);
                }
                feasible[found++] = node;
            } else {
                if (keep != null) {
                    keep.walked(node, -1);
                }
                if (failedAt == null || failed == failedAt.length) {
                    int size = failedAt == null ? 64 : failed * 2;
                    failedAt = failedAt == null ? new int[size] : Arrays.copyOf(failedAt, size);
                    failedWith = failedWith == null ? new Status[size] : Arrays.copyOf(failedWith, size);
                }
                failedAt[failed] = idx;
                failedWith[failed++] = s;
            }
        }
        if (found == 0 && order != null) { // every node's own first failing filter, as kube-scheduler reports it
            return decide(snapshot, pod, seed, fixedStart, null, new CycleState(), false);
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
        boolean[] skip = skipped(state, pod, snapshot, feasible, found);
        if (keep != null && !spanningScorersSkipped(skip)) {
            keep.invalidate();
            keep = null;
        }
        long[] total = score(state, pod, feasible, found, skip, keep);
        if (keep != null) {
            keep.complete(feasible, found, skip);
        }
        int best = pickBest(total, found, new SplittableRandom(mixed));
        return ScheduleResult.placed(feasible[best].name(), total[best], evaluated, found);
    }

    /**
     * The decision for {@code pod} on {@code snapshot} made from window {@code w}: the nodes whose {@code NodeState}
     * changed since are filtered and scored again, every other verdict and raw score is reused, and normalisation,
     * weighting and the tie-break run as usual. The result equals {@code decide(snapshot, pod, seed, w.start, null, state)}.
     * Precondition: every plugin is node-local and {@code pod} is equivalent to {@code w.leader}.
     *
     * @param into receives the window's cycle state (what PreFilter and PreScore wrote), for the cycle's later steps
     * @return the decision, or null (and {@code w} invalidated) when a walked node changed its verdict, the
     *         snapshot's size changed, or PreScore skips other scorers than before: then only a full decision is exact
     */
    ScheduleResult reuse(DecisionWindow w, ClusterSnapshot snapshot, PodRequest pod, long seed, CycleState into) {
        int n = snapshot.size();
        if (!w.valid || n != w.size) {
            w.invalidate();
            return null;
        }
        for (PreFilterPlugin p : spanning) { // a rule spanning nodes may concern this pod now
            // a SKIP writes nothing; anything else ends the window, so the window's state may serve as scratch
            if (p.preFilter(w.state, pod, snapshot).code() != Status.Code.SKIP) {
                w.invalidate();
                return null;
            }
        }
        NodeState[] scanned = w.scanned;
        int[] slot = w.slot;
        int idx = w.start;
        for (int i = 0; i < w.evaluated; i++, idx = idx + 1 == n ? 0 : idx + 1) {
            NodeState now = snapshot.node(idx);
            if (now == scanned[i]) {
                continue;
            }
            int k = slot[i];
            if (runFilters(w.filters, w.state, pod, now).isSuccess() != k >= 0) {
                w.invalidate();
                return null;
            }
            scanned[i] = now;
            if (k >= 0) {
                w.feasible[k] = now;
                for (int j = 0; j < scorers.length; j++) {
                    if (w.skip == null || !w.skip[j]) {
                        w.raw[j][k] = scorers[j].score(w.state, pod, now);
                    }
                }
            }
        }
        int found = w.found;
        if (!Arrays.equals(skipped(w.state, pod, snapshot, w.feasible, found), w.skip)) {
            w.invalidate();
            return null;
        }
        long[] total = new long[found];
        for (int j = 0; j < scorers.length; j++) {
            if (w.skip == null || !w.skip[j]) {
                long[] scores = w.scratchCopy(w.raw[j], found);
                scorers[j].normalize(w.state, pod, scores, found);
                accumulate(total, weights[j], scores, found);
            }
        }
        w.reuses++;
        into.putAll(w.state);
        int best =
                pickBest(total, found, new SplittableRandom(mix(seed ^ pod.uid().hashCode())));
        return ScheduleResult.placed(w.feasible[best].name(), total[best], w.evaluated, found);
    }

    /**
     * This profile's PreFilters run for {@code pod} on {@code snapshot} (a fresh cycle state), ready to run its
     * Filters on any state of a node: for preemption's dry run, which asks the same pod about many nodes with pods
     * removed. Never throws for expected rejections.
     */
    public FilterHandle.PodFilters prepare(ClusterSnapshot snapshot, PodRequest pod) {
        CycleState state = new CycleState();
        FilterPlugin[] filters = this.filters;
        boolean local = true;
        for (PreFilterPlugin p : preFilters) {
            Status s = p.preFilter(state, pod, snapshot);
            if (s.code() == Status.Code.SKIP) {
                filters = without(filters, p);
            } else if (!s.isSuccess()) {
                return new Prepared(s, state, filters, false, pod);
            } else {
                local &= p.nodeLocal();
            }
        }
        for (FilterPlugin f : filters) {
            local &= f.nodeLocal() || f instanceof PreFilterPlugin;
        }
        return new Prepared(Status.SUCCESS, state, filters, local, pod);
    }

    private record Prepared(
            Status preFilter, CycleState state, FilterPlugin[] filters, boolean nodeLocal, PodRequest pod)
            implements FilterHandle.PodFilters {
        @Override
        public Status check(NodeState node) {
            return preFilter.isSuccess() ? runFilters(filters, state, pod, node) : preFilter;
        }
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
            Status s = p.preFilter(state, pod, snapshot);
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
            boolean[] skipped = skipped(state, pod, snapshot, feasible, found);
            for (int j = 0; j < scorers.length; j++) {
                if (skipped != null && skipped[j]) {
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
            ranked.sort(java.util.Comparator.comparingLong(Explanation.NodeScore::total)
                    .reversed()
                    .thenComparing(Explanation.NodeScore::node));
        }
        return new Explanation(diagnosis, ranked, names, w);
    }

    /** Whether every scorer that is not node-local is skipped in {@code skip}. */
    private boolean spanningScorersSkipped(boolean[] skip) {
        for (int j = 0; j < spanningScorer.length; j++) {
            if (spanningScorer[j] && (skip == null || !skip[j])) {
                return false;
            }
        }
        return true;
    }

    /** Which scorers PreScore skips for this pod and these feasible nodes, or null when none. */
    private boolean[] skipped(
            CycleState state, PodRequest pod, ClusterSnapshot snapshot, NodeState[] feasible, int found) {
        boolean[] skip = null;
        for (PreScorePlugin p : preScores) {
            if (p.preScore(state, pod, snapshot, feasible, found).code() == Status.Code.SKIP) {
                for (int j = 0; j < scorers.length; j++) {
                    if (scorers[j] == p) {
                        skip = skip == null ? new boolean[scorers.length] : skip;
                        skip[j] = true;
                    }
                }
            }
        }
        return skip;
    }

    /**
     * The filters on {@code node}: 1.20's {@code PodPassesFiltersOnNode}. A node with pods nominated to it takes the
     * cold path ({@link #withNominated}); every other node pays one boolean field read.
     */
    private static Status runFilters(FilterPlugin[] filters, CycleState state, PodRequest pod, NodeState node) {
        if (node.hasNominated()) {
            return withNominated(filters, state, pod, node);
        }
        for (FilterPlugin f : filters) {
            Status s = f.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Where pods of at least the pod's priority are nominated to the node: first with their room taken ({@link
     * NodeState#withNominatedFor}), then without (so a nominated pod it would be the affinity partner of does not make
     * it fit); both must pass, as 1.20's {@code addNominatedPods}.
     */
    private static Status withNominated(FilterPlugin[] filters, CycleState state, PodRequest pod, NodeState node) {
        NodeState taken = node.withNominatedFor(pod);
        if (taken != node) {
            Status s = runFiltersOn(filters, state, pod, taken);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return runFiltersOn(filters, state, pod, node);
    }

    private static Status runFiltersOn(FilterPlugin[] filters, CycleState state, PodRequest pod, NodeState node) {
        for (FilterPlugin f : filters) {
            Status s = f.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s;
            }
        }
        return Status.SUCCESS;
    }

    /** Weighted totals of the feasible nodes; with {@code keep}, each scorer's raw scores stay in the window. */
    private long[] score(
            CycleState state, PodRequest pod, NodeState[] feasible, int found, boolean[] skip, DecisionWindow keep) {
        long[] total = new long[found];
        long[] buffer = keep == null ? new long[found] : null;
        for (int j = 0; j < scorers.length; j++) {
            if (skip != null && skip[j]) {
                continue;
            }
            ScorePlugin s = scorers[j];
            long[] scores = keep == null ? buffer : keep.raw(scorers.length, j, found);
            s.scoreAll(state, pod, feasible, found, scores);
            if (keep != null) {
                scores = keep.scratchCopy(scores, found); // normalise a copy: the raw scores are reused
            }
            s.normalize(state, pod, scores, found);
            accumulate(total, weights[j], scores, found);
        }
        return total;
    }

    private static void accumulate(long[] total, long weight, long[] scores, int found) {
        for (int k = 0; k < found; k++) {
            total[k] += weight * scores[k];
        }
    }

    /** {@code filters} without {@code plugin} (a loop: a stream here showed in the decision thread's profile). */
    private static FilterPlugin[] without(FilterPlugin[] filters, Object plugin) {
        FilterPlugin[] out = new FilterPlugin[filters.length];
        int n = 0;
        for (FilterPlugin f : filters) {
            if (f != plugin) {
                out[n++] = f;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
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
