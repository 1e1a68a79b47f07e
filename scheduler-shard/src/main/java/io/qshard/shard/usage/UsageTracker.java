package io.qshard.shard.usage;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
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
 * <p>Each tier's usage is raised to its predicted peak over the horizon ({@link UsagePredictions}: every report feeds
 * the tier's cpu and memory series, in percent of the node's real allocatable). Each applied report also runs the
 * hot-node rule ({@link io.qshard.core.usage.HotNodes}) and the node's cpu hotspot prediction, and publishes both into
 * the node's {@link NodeState} ({@link ClusterState#setHeat}): plugins read them from the cycle's snapshot, nothing
 * live.
 *
 * <p>A report the CRD schema could not reject but this instance cannot use (future timestamp, tiers adding up past the
 * node) is logged, counted in {@link #rejected} and skipped; the node keeps its previous view. A report for a node
 * this instance does not know (yet) is held: it is applied when the node arrives (informers deliver nodes and reports
 * in no particular order), and dropped — logged and counted as rejected — when it goes stale first.
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
    private final Map<String, UsageReport> unknownNode = new HashMap<>();
    private final UsagePredictions predictions;
    private final boolean predicting;
    private final io.qshard.core.usage.HotNodes hot;
    /** @param config the tiers (for each tier's accounting class), the pool and the prediction settings */
    public UsageTracker(QshardConfig config) {
        this.pools = config.pools();
        this.staleAfter = pools.staleAfter();
        this.estimateFactor = pools.estimateFactor();
        this.classOfTier = config::classOfTier;
        this.predicting = config.predictions().enabled();
        this.predictions = new UsagePredictions(predictorConfig(config.predictions()));
        this.hot = new io.qshard.core.usage.HotNodes(config.migration().hotRule());
    }

    /** The predictors' settings for the usage view's: horizon, the pools' quantile, the hot threshold. */
    static io.qshard.predict.PredictorConfig predictorConfig(io.qshard.core.config.PredictionConfig p) {
        return io.qshard.predict.PredictorConfig.withHorizon(p.horizon().toSeconds())
                .tunedFor(p.quantile(), p.hotspotThreshold(), io.qshard.predict.PredictorConfig.DEFAULT_HOTSPOT_CUT);
    }

    /**
     * Applies a report.
     *
     * @return true when the node's figures changed (the caller may wake unschedulable pods)
     */
    public boolean reported(UsageReport report, ClusterState state, Instant now) {
        if (state.node(report.node()).isEmpty()) {
            unknownNode.merge(report.node(), report, (a, b) -> b.timestamp().isAfter(a.timestamp()) ? b : a);
            return false;
        }
        Optional<String> problem = check.problem(report, n -> true, now);
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
        if (predicting) {
            observe(report, state);
        }
        boolean applied = apply(report.node(), state, now);
        classify(report, state);
        publishHeat(report.node(), state);
        return applied;
    }

    /** Runs the hot-node rule on the report: usage and predicted peak as fractions of real allocatable cpu. */
    private void classify(UsageReport report, ClusterState state) {
        state.node(report.node()).ifPresent(ns -> {
            double alloc = ns.realAllocatable(NodeState.CPU);
            if (alloc <= 0) {
                return;
            }
            io.qshard.core.usage.Usage peak = nodePeak(report.node(), ns);
            hot.observe(
                    report.node(),
                    report.nodeUsage().milliCpu() / alloc,
                    peak == null || !predicting ? Double.NaN : peak.milliCpu() / alloc);
        });
    }

    /** @return the node's state under the migration rule */
    public io.qshard.core.usage.HotNodes.State hotState(String node) {
        return hot.state(node);
    }

    /** Writes the node's hot state and hotspot probability, as this tracker knows them now, into its NodeState. */
    private void publishHeat(String node, ClusterState state) {
        state.setHeat(
                node,
                hot.state(node) != io.qshard.core.usage.HotNodes.State.NORMAL,
                predictions.hotspotProbability(node));
    }

    private void observe(UsageReport report, ClusterState state) {
        Optional<NodeState> ns = state.node(report.node());
        if (ns.isEmpty()) {
            return;
        }
        double cpu = ns.get().realAllocatable(NodeState.CPU);
        double memory = ns.get().realAllocatable(NodeState.MEMORY);
        if (cpu <= 0 || memory <= 0) {
            return;
        }
        long t = report.timestamp().getEpochSecond();
        predictions.observe(
                report.node(),
                UsagePredictions.NODE_CPU,
                t,
                100 * report.nodeUsage().milliCpu() / cpu);
        predictions.observe(
                report.node(),
                UsagePredictions.NODE_MEMORY,
                t,
                100 * report.nodeUsage().memoryBytes() / memory);
        report.tiers().forEach((tier, u) -> {
            predictions.observe(report.node(), tier + "/cpu", t, 100 * u.milliCpu() / cpu);
            predictions.observe(report.node(), tier + "/memory", t, 100 * u.memoryBytes() / memory);
        });
    }

    /** Each reported tier's predicted peak, in cpu milli-cores and memory bytes; none with predictions off. */
    private Map<String, io.qshard.core.usage.Usage> peaks(UsageReport report, NodeState ns) {
        Map<String, io.qshard.core.usage.Usage> peaks = new HashMap<>();
        if (!predicting) {
            return peaks;
        }
        double cpu = ns.realAllocatable(NodeState.CPU);
        double memory = ns.realAllocatable(NodeState.MEMORY);
        for (String tier : report.tiers().keySet()) {
            double c = predictions.predictedPeak(report.node(), tier + "/cpu");
            double m = predictions.predictedPeak(report.node(), tier + "/memory");
            if (!Double.isNaN(c) && !Double.isNaN(m)) {
                peaks.put(
                        tier, new io.qshard.core.usage.Usage(Math.round(c / 100 * cpu), Math.round(m / 100 * memory)));
            }
        }
        return peaks;
    }

    /** A node arrived (or changed): a report held for it is applied now. */
    public boolean nodeKnown(String node, ClusterState state, Instant now) {
        UsageReport held = unknownNode.remove(node);
        if (held != null && reported(held, state, now)) {
            return true;
        }
        publishHeat(node, state); // e.g. a node this shard acquires again: what its reports said still holds
        return false;
    }

    /** The node's report was deleted: back to the conservative view. */
    public void removed(String node, ClusterState state) {
        predictions.forget(node);
        hot.forget(node);
        publishHeat(node, state);
        unknownNode.remove(node);
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
        for (Iterator<Map.Entry<String, UsageReport>> it =
                        unknownNode.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, UsageReport> e = it.next();
            if (Duration.between(e.getValue().timestamp(), now).compareTo(staleAfter) > 0) {
                it.remove();
                rejected.increment();
                LOG.warn("skipping usage report: NodeUsage {}: no such node", e.getKey());
            }
        }
        for (Iterator<Map.Entry<String, UsageReport>> it = reports.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, UsageReport> e = it.next();
            if (Duration.between(e.getValue().timestamp(), now).compareTo(staleAfter) > 0) {
                it.remove();
                state.setUsage(e.getKey(), null, classOfTier, estimateFactor);
                hot.forget(e.getKey()); // a stale report says nothing about heat; the prediction keeps its last word
                publishHeat(e.getKey(), state);
                staled.increment();
                expired++;
            }
        }
        return expired;
    }

    /**
     * The node's usage as the controllers plan with it: its last fresh report raised to the predicted peak over the
     * horizon (predictions on), in milli-cores and bytes.
     *
     * @return the peak, or null when the node has no fresh report
     */
    public io.qshard.core.usage.Usage nodePeak(String node, NodeState ns) {
        UsageReport report = reports.get(node);
        if (report == null) {
            return null;
        }
        io.qshard.core.usage.Usage reported = report.nodeUsage();
        if (!predicting) {
            return reported;
        }
        double c = predictions.predictedPeak(node, UsagePredictions.NODE_CPU);
        double m = predictions.predictedPeak(node, UsagePredictions.NODE_MEMORY);
        long cpu = Double.isNaN(c) ? 0 : Math.round(c / 100 * ns.realAllocatable(NodeState.CPU));
        long memory = Double.isNaN(m) ? 0 : Math.round(m / 100 * ns.realAllocatable(NodeState.MEMORY));
        return reported.max(new io.qshard.core.usage.Usage(Math.max(0, cpu), Math.max(0, memory)));
    }

    /**
     * Whether the node's cpu is expected back under {@code level} (fraction of real allocatable) soon: the median of
     * its predicted peak over {@code horizon} is below it. False without predictions or samples.
     */
    public boolean expectedBelow(String node, NodeState ns, double level, java.time.Duration horizon) {
        if (!predicting) {
            return false;
        }
        double p = predictions.predictedPeak(node, UsagePredictions.NODE_CPU, horizon.toSeconds(), 0.5);
        return !Double.isNaN(p) && p / 100 < level;
    }

    /** @return the node's latest fresh report, or null */
    public UsageReport report(String node) {
        return reports.get(node);
    }

    /** @return nodes with a fresh report */
    public int reporting() {
        return reports.size();
    }

    private boolean apply(String node, ClusterState state, Instant now) {
        Optional<NodeState> ns = state.node(node);
        if (ns.isEmpty()) {
            return false;
        }
        UsageReport report = reports.get(node);
        UsageView view = UsageView.of(ns.get().pods(), report, now, pools.estimates())
                .withPredictedPeaks(peaks(report, ns.get()));
        state.setUsage(node, view, classOfTier, estimateFactor);
        return true;
    }
}
