package io.qshard.controllers.migrate;

import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.MigrationConfig;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.HotNodes;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plans one cycle of the migration loop (docs/architecture.md, "The migration loop") on an immutable view. Pure; thread-safe.
 *
 * <p>For each hot node, hottest first: if it is cooling down from an eviction, skip; else the excess is its load
 * (usage, or the predicted peak for a node only predicted hot) above {@code targetUtilization}. A node only predicted
 * hot is acted on once its usage is inside the hysteresis band (on its way up; until then the schedulers keeping new
 * work off it is enough), and no node is acted on while the predictors' median expects it back under the band within
 * {@code transientHorizon} — a passing spike ends by itself, and evicting for it costs work for nothing (measured:
 * bench/RESULTS.md, "Migration"). Victims come from the
 * lowest tier up (free, batch, mid; never prod, never a pod of no tier), only pods with a controller owner that is not
 * a DaemonSet or the node (mirror pods), not already leaving, whose workload may lose one now. Within a tier the
 * choice is right-sized: the smallest pod whose usage covers what is left of the excess, else the largest and go on —
 * few pods, and no big one where a small one does. Every victim must fit on another node by its tier's own algorithm
 * — whose {@code AvoidHotNodes} filter keeps hot and predicted-hot nodes out — on a snapshot that already holds the
 * victims planned before it, so two victims never count on the same room. A node whose pods fit nowhere is left
 * alone (a cluster with nowhere to go evicts nothing).
 *
 * <p>Each planned move is applied to the working snapshot in both its node states and its topology
 * ({@link ClusterSnapshot#withoutPod}, then {@link ClusterSnapshot#withPod} on the target): a victim is scheduled as
 * if already gone from its node (on the other nodes only), and the pod (anti-)affinity and topology spread of the
 * victims after it see it at its planned target — two replicas of a one-per-node workload are never planned onto one
 * node. The snapshot is the migration loop's view, which does not read Services, controllers or namespace labels:
 * plans apply no default topology spread (kube-scheduler's system defaults, whose selector comes from those
 * objects), and a term's {@code namespaceSelector} sees every namespace as unlabelled. A planned target is an
 * estimate: the schedulers, which do apply those, place the replacement pod themselves.
 */
public final class MigrationPlanner {
    private final MigrationConfig config;
    private final Function<String, SchedulingAlgorithm> algorithmOfTier;

    /**
     * @param config          the migration settings
     * @param algorithmOfTier the algorithm of a tier name (its profile, with the schedulers' hot-node view)
     */
    public MigrationPlanner(MigrationConfig config, Function<String, SchedulingAlgorithm> algorithmOfTier) {
        this.config = config;
        this.algorithmOfTier = algorithmOfTier;
    }

    /** What the planner needs of a node besides its state. */
    public interface Facts {
        /** @return the node's state under the hot rule */
        HotNodes.State state(String node);

        /** @return the node's latest fresh report, or null */
        UsageReport report(String node);

        /** @return its predicted peak (raised to its last report), or null */
        Usage peak(String node);

        /**
         * @return whether its cpu is expected back under {@code level} (fraction) within the transient horizon, by the
         *         predictors' median
         */
        default boolean coolsSoon(String node, double level) {
            return false;
        }
    }

    /**
     * @param snapshot the cluster
     * @param facts    hot states, reports and predictions
     * @param ledger   recent evictions
     * @param leaving  pods already on their way out (deletion requested)
     * @param now      the loop's clock
     * @return the plan
     */
    public MigrationPlan plan(
            ClusterSnapshot snapshot, Facts facts, EvictionLedger ledger, Predicate<String> leaving, Instant now) {
        List<MigrationPlan.Move> moves = new ArrayList<>();
        List<MigrationPlan.Skip> skips = new ArrayList<>();
        List<NodeState> hot = new ArrayList<>();
        for (int i = 0; i < snapshot.size(); i++) {
            NodeState n = snapshot.node(i);
            if (facts.state(n.name()) != HotNodes.State.NORMAL && facts.report(n.name()) != null) {
                hot.add(n);
            }
        }
        hot.sort(Comparator.comparingDouble((NodeState n) -> -load(n, facts)));
        ClusterSnapshot working = snapshot;
        for (NodeState node : hot) {
            String name = node.name();
            double alloc = node.realAllocatable(NodeState.CPU);
            boolean predictedOnly = facts.state(name) == HotNodes.State.PREDICTED;
            long excess = Math.round(load(node, facts) - config.targetUtilization() * alloc);
            String why = reason(node, facts);
            if (ledger.cooling(name, now)) {
                skips.add(new MigrationPlan.Skip(name, why + "; cooling down after an eviction"));
                continue;
            }
            if (excess <= 0) {
                continue;
            }
            if (predictedOnly && facts.report(name).nodeUsage().milliCpu() < config.coolThreshold() * alloc) {
                continue; // predicted to cross, but not near yet: the schedulers already keep new work off it
            }
            if (!config.transientHorizon().isZero() && facts.coolsSoon(name, config.coolThreshold())) {
                skips.add(new MigrationPlan.Skip(
                        name,
                        why + "; expected back under " + Math.round(100 * config.coolThreshold()) + " % within "
                                + config.transientHorizon().toMinutes() + " min (a passing spike)"));
                continue;
            }
            Map<String, Usage> podUsage = facts.report(name).pods();
            List<PodRequest> candidates = node.pods().stream()
                    .filter(p -> p.tier() != null && p.poolRule() != PoolRule.ALLOCATABLE)
                    .filter(p -> p.owner() != null
                            && !Set.of("DaemonSet", "Node").contains(p.owner().kind()))
                    .filter(p -> !leaving.test(p.uid()) && !ledger.asked(p.uid()))
                    .filter(p -> ledger.workloadAllows(p.owner().uid(), now))
                    .toList();
            List<Integer> priorities = candidates.stream()
                    .map(PodRequest::priority)
                    .distinct()
                    .sorted()
                    .toList();
            int taken = 0;
            boolean nowhere = false;
            for (int priority : priorities) {
                List<PodRequest> tier = new ArrayList<>(candidates.stream()
                        .filter(p -> p.priority() == priority)
                        .toList());
                while (excess > 0 && taken < config.maxPerNode() && !tier.isEmpty()) {
                    PodRequest victim = rightSized(tier, excess, podUsage);
                    tier.remove(victim);
                    // off its node and out of the topology; scheduled on the other nodes only
                    ClusterSnapshot left = working.withoutPod(victim);
                    ScheduleResult fit = algorithmOfTier
                            .apply(victim.tier())
                            .schedule(
                                    left.without(name),
                                    victim.boundTo(null),
                                    victim.uid().hashCode());
                    if (!fit.isPlaced()) {
                        nowhere = true;
                        continue;
                    }
                    long used = usage(victim, podUsage);
                    working = left.withPod(victim.boundTo(fit.node()));
                    moves.add(new MigrationPlan.Move(victim, name, fit.node(), used, why));
                    excess -= used;
                    taken++;
                }
            }
            if (taken == 0) {
                skips.add(new MigrationPlan.Skip(
                        name,
                        why
                                + (candidates.isEmpty()
                                        ? "; no pod may leave it (prod, "
                                                + "no controller, DaemonSet, already leaving, or its workload's cap)"
                                        : nowhere
                                                ? "; none of its lower-tier pods fits on another node that is not hot"
                                                : "")));
            }
        }
        return new MigrationPlan(moves, skips);
    }

    /** The smallest pod whose usage covers {@code excess}, else the largest. */
    static PodRequest rightSized(List<PodRequest> pods, long excess, Map<String, Usage> usage) {
        PodRequest covering = null;
        PodRequest largest = null;
        for (PodRequest p : pods) {
            long u = usage(p, usage);
            if (u >= excess && (covering == null || u < usage(covering, usage))) {
                covering = p;
            }
            if (largest == null || u > usage(largest, usage)) {
                largest = p;
            }
        }
        return covering != null ? covering : largest;
    }

    /** Observed cpu usage, or the request when the report has none for it. */
    static long usage(PodRequest p, Map<String, Usage> usage) {
        Usage u = usage.get(p.uid());
        return u != null ? u.milliCpu() : p.requests().milliCpu() + p.requests().batchMilliCpu();
    }

    private double load(NodeState n, Facts facts) {
        double used = facts.report(n.name()).nodeUsage().milliCpu();
        Usage peak = facts.peak(n.name());
        return facts.state(n.name()) == HotNodes.State.PREDICTED && peak != null
                ? Math.max(used, peak.milliCpu())
                : used;
    }

    private String reason(NodeState n, Facts facts) {
        double alloc = n.realAllocatable(NodeState.CPU);
        double used = facts.report(n.name()).nodeUsage().milliCpu() / alloc;
        if (facts.state(n.name()) == HotNodes.State.HOT) {
            return String.format(
                    Locale.ROOT,
                    "node usage %.0f %% > %.0f %% for %d reports",
                    100 * used,
                    100 * config.hotThreshold(),
                    config.hotReports());
        }
        Usage peak = facts.peak(n.name());
        return String.format(
                Locale.ROOT,
                "node usage %.0f %%, predicted peak %.0f %% > %.0f %% within the horizon",
                100 * used,
                peak == null ? 0 : 100 * peak.milliCpu() / alloc,
                100 * config.hotThreshold());
    }
}
