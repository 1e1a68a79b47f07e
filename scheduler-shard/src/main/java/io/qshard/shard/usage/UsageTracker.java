package io.qshard.shard.usage;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageReportCheck;
import io.qshard.core.usage.UsageView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler instance's side of the dynamic resource view: keeps each node's latest accepted {@link UsageReport},
 * turns it into the node's usage figures in the {@link ClusterState} (so the pools of every tier read real usage),
 * and takes them away again when the report goes stale — then the node is back on the conservative view.
 *
 * <p>A report the CRD schema could not reject but this instance cannot use (unknown node, future timestamp, tiers
 * adding up past the node) is logged, counted in {@link #rejected} and skipped; the node keeps its previous view.
 * Not thread-safe: owned by the decision thread, like the state it writes.
 */
public final class UsageTracker {
    private static final Logger LOG = LoggerFactory.getLogger(UsageTracker.class);

    /** Reports skipped as unusable (the warning metric). */
    public final LongAdder rejected = new LongAdder();
    /** Reports applied. */
    public final LongAdder applied = new LongAdder();
    /** Nodes whose report went stale and fell back to the conservative view. */
    public final LongAdder staled = new LongAdder();

    private final Duration staleAfter;
    private final double estimateFactor;
    private final io.qshard.core.pool.PoolConfig pools;
    private final Function<String, PoolRule> classOfTier;
    private final UsageReportCheck check = new UsageReportCheck();
    private final Map<String, UsageReport> reports = new HashMap<>();

    /** @param config the tiers (for each tier's accounting class) and the pool settings */
    public UsageTracker(QshardConfig config) {
        this.pools = config.pools();
        this.staleAfter = pools.staleAfter();
        this.estimateFactor = pools.estimateFactor();
        Map<String, PoolRule> classes = new HashMap<>();
        for (Tier t : config.tiers()) {
            classes.put(t.name(), t.poolRule());
        }
        this.classOfTier = tier -> classes.getOrDefault(tier, PoolRule.ALLOCATABLE);
    }

    /**
     * Applies a report.
     *
     * @return true when the node's figures changed (the caller may wake unschedulable pods)
     */
    public boolean reported(UsageReport report, ClusterState state, Instant now) {
        Optional<String> problem = check.problem(report, n -> state.snapshot().node(n).isPresent(), now);
        if (problem.isPresent()) {
            rejected.increment();
            LOG.warn("skipping usage report: {}", problem.get());
            return false;
        }
        UsageReport previous = reports.get(report.node());
        if (previous != null && !report.timestamp().isAfter(previous.timestamp())) {
            return false; // an older or repeated report
        }
        reports.put(report.node(), report);
        applied.increment();
        return apply(report.node(), state, now);
    }

    /** The node's report was deleted: back to the conservative view. */
    public void removed(String node, ClusterState state) {
        if (reports.remove(node) != null) {
            state.setUsage(node, null, classOfTier, estimateFactor);
        }
    }

    /**
     * Drops reports older than the staleness limit (their nodes fall back to requests); call it periodically.
     *
     * @return the number of nodes that went stale
     */
    public int expire(ClusterState state, Instant now) {
        int expired = 0;
        for (Iterator<Map.Entry<String, UsageReport>> it = reports.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, UsageReport> e = it.next();
            if (Duration.between(e.getValue().timestamp(), now).compareTo(staleAfter) > 0) {
                it.remove();
                state.setUsage(e.getKey(), null, classOfTier, estimateFactor);
                staled.increment();
                expired++;
            }
        }
        return expired;
    }

    /** @return nodes with a fresh report */
    public int reporting() {
        return reports.size();
    }

    private boolean apply(String node, ClusterState state, Instant now) {
        Optional<NodeState> ns = state.snapshot().node(node);
        if (ns.isEmpty()) {
            return false;
        }
        UsageView view = UsageView.of(ns.get().pods(), reports.get(node), now, pools);
        state.setUsage(node, view, classOfTier, estimateFactor);
        return true;
    }
}
