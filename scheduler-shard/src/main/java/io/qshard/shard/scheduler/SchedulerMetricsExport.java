package io.qshard.shard.scheduler;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolTotals;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.kube.informer.ClusterInformers;
import io.qshard.kube.metrics.Metrics;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The scheduler process's metrics, registered once per process: per (tier, shard) instance — attempts by result,
 * decision and end-to-end latency histograms, queue depths, bindings and bind errors, the tier's pool and usage summed
 * over the nodes it places on (cpu in cores, memory in bytes), hot nodes, shard ownership, acknowledged epoch and
 * leadership — and the process's informer counters. All but the histograms are read at scrape time from thread-safe
 * state (counters, the last immutable snapshot); O(nodes) per scrape. Thread-safe.
 */
final class SchedulerMetricsExport {
    private static final List<String> INSTANCE = List.of("tier", "shard");
    private static final List<String> BY_RESULT = List.of("tier", "shard", "result");
    private static final List<String> BY_RESOURCE = List.of("tier", "shard", "resource");

    private final List<TierScheduler> schedulers;
    private final NodeRoom room;
    private final PoolCache[] pools;

    private SchedulerMetricsExport(List<TierScheduler> schedulers, QshardConfig config) {
        this.schedulers = List.copyOf(schedulers);
        this.room = new NodeRoom(config.pools());
        this.pools = new PoolCache[schedulers.size()];
    }

    /** Registers every family on {@code metrics} and points each scheduler's latencies at its histogram series. */
    static void register(
            Metrics metrics, List<TierScheduler> schedulers, ClusterInformers informers, QshardConfig config) {
        new SchedulerMetricsExport(schedulers, config).register(metrics, informers);
    }

    private void register(Metrics m, ClusterInformers informers) {
        m.counterWithCallback(
                "qshard_scheduling_attempts_total",
                "scheduling decisions by result",
                BY_RESULT,
                out -> each((s, t, i) -> {
                    out.sample(s.metrics().scheduled.sum(), t, i, "scheduled");
                    out.sample(s.metrics().unschedulable.sum(), t, i, "unschedulable");
                    out.sample(s.metrics().errors.sum(), t, i, "error");
                    out.sample(s.metrics().rejected.sum(), t, i, "rejected");
                }));
        perInstance(
                m,
                true,
                "qshard_scheduling_decisions_reused_total",
                "decisions made from the kept window of an equivalent pod's decision (the other attempts decided in full)",
                TierScheduler::decisionsReused);
        var decisions = m.histogram(
                "qshard_scheduling_decision_duration_seconds",
                "time of one scheduling decision (PreFilter … pick, without Reserve and Permit)",
                SchedulerMetrics.DECISION_BUCKETS,
                "tier",
                "shard");
        var e2e = m.histogram(
                "qshard_scheduling_e2e_duration_seconds",
                "time from a pod entering the queue to its binding",
                SchedulerMetrics.E2E_BUCKETS,
                "tier",
                "shard");
        for (TierScheduler s : schedulers) {
            String shard = Integer.toString(s.shard());
            s.metrics()
                    .export(
                            decisions.labels(s.tier().name(), shard),
                            e2e.labels(s.tier().name(), shard));
        }
        m.gaugeWithCallback(
                "qshard_queue_pods",
                "pending pods this instance owns, by queue (gated: held back by PreEnqueue)",
                List.of("tier", "shard", "queue"),
                out -> each((s, t, i) -> {
                    SchedulingQueue.Sizes q = s.queueSizes();
                    out.sample(q.active(), t, i, "active");
                    out.sample(q.backoff(), t, i, "backoff");
                    out.sample(q.unschedulable(), t, i, "unschedulable");
                    out.sample(q.gated(), t, i, "gated");
                }));
        perInstance(
                m,
                false,
                "qshard_bindings_in_flight",
                "bindings written and not yet answered",
                s -> s.queueSizes().inFlight());
        m.counterWithCallback(
                "qshard_bindings_total",
                "binding outcomes (already_bound and pod_gone are dropped, not retried)",
                BY_RESULT,
                out -> each((s, t, i) -> {
                    out.sample(s.metrics().bound.sum(), t, i, "bound");
                    out.sample(s.metrics().alreadyBound.sum(), t, i, "already_bound");
                    out.sample(s.metrics().podGone.sum(), t, i, "pod_gone");
                }));
        perInstance(
                m,
                true,
                "qshard_bind_errors_total",
                "bindings that failed and were retried with backoff",
                s -> s.metrics().bindErrors.sum());
        m.counterWithCallback(
                "qshard_preemption_attempts_total",
                "PostFilter runs for pods no node fit, by result (nominated: victims chosen; capped: every candidate "
                        + "over the cross-tier eviction caps; failed: ineligible, or no candidate)",
                BY_RESULT,
                out -> each((s, t, i) -> {
                    out.sample(s.metrics().preemptions.sum(), t, i, "nominated");
                    out.sample(s.metrics().preemptionsCapped.sum(), t, i, "capped");
                    out.sample(s.metrics().preemptionsFailed.sum(), t, i, "failed");
                }));
        m.counterWithCallback(
                "qshard_preemption_victims_total",
                "pods chosen as preemption victims, by the victim's tier (other: pods of other schedulers)",
                List.of("tier", "shard", "victim_tier"),
                out -> each((s, t, i) -> s.metrics().victimsByTier.forEach((vt, n) -> out.sample(n.sum(), t, i, vt))));
        perInstance(
                m,
                true,
                "qshard_preemption_pdb_violations_total",
                "preemption victims chosen although removing them breaks a PodDisruptionBudget (no candidate without)",
                s -> s.metrics().pdbViolations.sum());
        perInstance(
                m,
                true,
                "qshard_preemption_pdb_refusals_total",
                "candidate nodes preemption passed over because removing their victims would break a PodDisruptionBudget",
                s -> s.metrics().pdbRefusals.sum());
        perInstance(
                m,
                true,
                "qshard_preemption_write_failures_total",
                "preemption writes that failed (victim deletes, Preempted Events, nominatedNodeName patches); a failed"
                        + " delete undoes that preemption",
                TierScheduler::preemptionWriteFailures);
        pools(m);
        perInstance(m, false, "qshard_shard_nodes", "nodes this instance places on now", TierScheduler::activeNodes);
        perInstance(
                m,
                false,
                "qshard_shard_epoch",
                "shard-map epoch this instance acknowledged (0: none, or unsharded)",
                TierScheduler::acknowledgedEpoch);
        perInstance(
                m, false, "qshard_leader", "1 while this instance leads its (tier, shard)", s -> s.leading() ? 1 : 0);
        perInstance(
                m,
                false,
                "qshard_hot_nodes",
                "nodes of this instance that are hot or predicted hot (migration rule)",
                SchedulerMetricsExport::hotNodes);
        m.counterWithCallback(
                "qshard_usage_reports_total",
                "NodeUsage reports by outcome",
                BY_RESULT,
                out -> each((s, t, i) -> {
                    out.sample(s.usage().applied.sum(), t, i, "applied");
                    out.sample(s.usage().rejected.sum(), t, i, "rejected");
                    out.sample(s.usage().staled.sum(), t, i, "stale");
                }));
        m.counterWithCallback(
                "qshard_informer_lists_total",
                "LIST requests of the informers (2-3 at start, more only after failures)",
                List.of(),
                out -> out.sample(informers.lists()));
        m.counterWithCallback(
                "qshard_informer_malformed_total",
                "API objects skipped because they could not be decoded",
                List.of(),
                out -> out.sample(informers.malformed()));
    }

    private void pools(Metrics m) {
        String[] names = {"qshard_pool_capacity", "qshard_pool_requested", "qshard_pool_room", "qshard_tier_usage"};
        String[] helps = {
            "the tier's capacity summed over its nodes (prod: real allocatable; mid: reported; batch/free: advertised batch)",
            "requests counted against that capacity",
            "room for more of the tier's pods (negative rooms count 0)",
            "usage of the tier's own pods (reported, else requests)"
        };
        for (int f = 0; f < names.length; f++) {
            int family = f;
            m.gaugeWithCallback(names[f], helps[f] + "; cpu in cores, memory in bytes", BY_RESOURCE, out -> {
                for (int i = 0; i < schedulers.size(); i++) {
                    TierScheduler s = schedulers.get(i);
                    PoolTotals t = totals(i);
                    long[] cpuMem = switch (family) {
                        case 0 -> new long[] {t.capacityMilliCpu(), t.capacityMemory()};
                        case 1 -> new long[] {t.requestedMilliCpu(), t.requestedMemory()};
                        case 2 -> new long[] {t.roomMilliCpu(), t.roomMemory()};
                        default -> new long[] {t.usageMilliCpu(), t.usageMemory()};
                    };
                    String shard = Integer.toString(s.shard());
                    out.sample(cpuMem[0] / 1000.0, s.tier().name(), shard, "cpu");
                    out.sample(cpuMem[1], s.tier().name(), shard, "memory");
                }
            });
        }
    }

    /** The pool totals of scheduler {@code i}'s current snapshot, computed once per snapshot (four families read them). */
    private synchronized PoolTotals totals(int i) {
        TierScheduler s = schedulers.get(i);
        ClusterSnapshot snap = s.snapshot();
        PoolCache c = pools[i];
        if (c == null || c.snapshot() != snap) {
            c = new PoolCache(snap, PoolTotals.of(snap, s.tier().poolRule(), room));
            pools[i] = c;
        }
        return c.totals();
    }

    private record PoolCache(ClusterSnapshot snapshot, PoolTotals totals) {}

    private static double hotNodes(TierScheduler s) {
        ClusterSnapshot snap = s.snapshot();
        int hot = 0;
        for (int i = 0; i < snap.size(); i++) {
            if (snap.node(i).hot()) {
                hot++;
            }
        }
        return hot;
    }

    private void perInstance(
            Metrics m, boolean counter, String name, String help, ToDoubleFunction<TierScheduler> value) {
        Consumer<Metrics.Samples> collect = out -> each((s, t, i) -> out.sample(value.applyAsDouble(s), t, i));
        if (counter) {
            m.counterWithCallback(name, help, INSTANCE, collect);
        } else {
            m.gaugeWithCallback(name, help, INSTANCE, collect);
        }
    }

    private void each(Instance each) {
        for (TierScheduler s : schedulers) {
            each.accept(s, s.tier().name(), Integer.toString(s.shard()));
        }
    }

    @FunctionalInterface
    private interface Instance {
        void accept(TierScheduler s, String tier, String shard);
    }
}
