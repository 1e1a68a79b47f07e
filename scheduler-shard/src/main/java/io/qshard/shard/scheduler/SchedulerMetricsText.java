package io.qshard.shard.scheduler;

import io.qshard.kube.metrics.PromText;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolTotals;
import io.qshard.core.queue.SchedulingQueue;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.kube.informer.ClusterInformers;

/**
 * The scheduler process's {@code /metrics}: per (tier, shard) instance — attempts by result, decision and end-to-end
 * latency histograms, queue depths, bindings and bind errors, the tier's pool and usage summed over the nodes it
 * places on (cpu in cores, memory in bytes), hot nodes, shard ownership, acknowledged epoch and leadership — and the
 * process's informer counters. Reads only thread-safe state (counters, the last immutable snapshot); O(nodes) per
 * scrape. Thread-safe.
 */
public final class SchedulerMetricsText {
    private final List<TierScheduler> schedulers;
    private final ClusterInformers informers;
    private final NodeRoom room;

    public SchedulerMetricsText(List<TierScheduler> schedulers, ClusterInformers informers, QshardConfig config) {
        this.schedulers = List.copyOf(schedulers);
        this.informers = informers;
        this.room = new NodeRoom(config.pools());
    }

    /** @return every family in the Prometheus text format */
    public String render() {
        PromText p = new PromText();
        p.family("qshard_scheduling_attempts_total", "counter", "scheduling decisions by result");
        for (TierScheduler s : schedulers) {
            SchedulerMetrics m = s.metrics();
            p.sample("qshard_scheduling_attempts_total", m.scheduled.sum(), labels(s, "result", "scheduled"));
            p.sample("qshard_scheduling_attempts_total", m.unschedulable.sum(), labels(s, "result", "unschedulable"));
            p.sample("qshard_scheduling_attempts_total", m.errors.sum(), labels(s, "result", "error"));
        }
        p.family("qshard_scheduling_decisions_reused_total", "counter",
                "decisions made from the kept window of an equivalent pod's decision (the other attempts decided in full)");
        schedulers.forEach(s -> p.sample("qshard_scheduling_decisions_reused_total", s.decisionsReused(), labels(s)));
        p.family("qshard_scheduling_decision_duration_seconds", "histogram", "time of one scheduling decision (filter + score)");
        schedulers.forEach(s -> p.histogram("qshard_scheduling_decision_duration_seconds", s.metrics().decisionHistogram(),
                TimeUnit.NANOSECONDS, PromText.DECISION_BUCKETS, labels(s)));
        p.family("qshard_scheduling_e2e_duration_seconds", "histogram", "time from a pod entering the queue to its binding");
        schedulers.forEach(s -> p.histogram("qshard_scheduling_e2e_duration_seconds", s.metrics().endToEndHistogram(),
                TimeUnit.MILLISECONDS, PromText.E2E_BUCKETS, labels(s)));
        p.family("qshard_queue_pods", "gauge", "pending pods this instance owns, by queue");
        p.family("qshard_bindings_in_flight", "gauge", "bindings written and not yet answered");
        for (TierScheduler s : schedulers) {
            SchedulingQueue.Sizes q = s.queueSizes();
            p.sample("qshard_queue_pods", q.active(), labels(s, "queue", "active"));
            p.sample("qshard_queue_pods", q.backoff(), labels(s, "queue", "backoff"));
            p.sample("qshard_queue_pods", q.unschedulable(), labels(s, "queue", "unschedulable"));
            p.sample("qshard_bindings_in_flight", q.inFlight(), labels(s));
        }
        p.family("qshard_bindings_total", "counter", "binding outcomes (already_bound and pod_gone are dropped, not retried)");
        p.family("qshard_bind_errors_total", "counter", "bindings that failed and were retried with backoff");
        for (TierScheduler s : schedulers) {
            SchedulerMetrics m = s.metrics();
            p.sample("qshard_bindings_total", m.bound.sum(), labels(s, "result", "bound"));
            p.sample("qshard_bindings_total", m.alreadyBound.sum(), labels(s, "result", "already_bound"));
            p.sample("qshard_bindings_total", m.podGone.sum(), labels(s, "result", "pod_gone"));
            p.sample("qshard_bind_errors_total", m.bindErrors.sum(), labels(s));
        }
        pools(p);
        shards(p);
        p.family("qshard_usage_reports_total", "counter", "NodeUsage reports by outcome");
        for (TierScheduler s : schedulers) {
            p.sample("qshard_usage_reports_total", s.usage().applied.sum(), labels(s, "result", "applied"));
            p.sample("qshard_usage_reports_total", s.usage().rejected.sum(), labels(s, "result", "rejected"));
            p.sample("qshard_usage_reports_total", s.usage().staled.sum(), labels(s, "result", "stale"));
        }
        p.family("qshard_informer_lists_total", "counter", "LIST requests of the informers (2-3 at start, more only after failures)");
        p.sample("qshard_informer_lists_total", informers.lists());
        p.family("qshard_informer_malformed_total", "counter", "API objects skipped because they could not be decoded");
        p.sample("qshard_informer_malformed_total", informers.malformed());
        return p.toString();
    }

    private void pools(PromText p) {
        String[] names = {"qshard_pool_capacity", "qshard_pool_requested", "qshard_pool_room", "qshard_tier_usage"};
        String[] helps = {"the tier's capacity summed over its nodes (prod: real allocatable; mid: reported; batch/free: advertised batch)",
                "requests counted against that capacity", "room for more of the tier's pods (negative rooms count 0)",
                "usage of the tier's own pods (reported, else requests)"};
        PoolTotals[] totals = new PoolTotals[schedulers.size()];
        for (int i = 0; i < totals.length; i++) {
            TierScheduler s = schedulers.get(i);
            totals[i] = PoolTotals.of(s.snapshot(), s.tier().poolRule(), room);
        }
        for (int f = 0; f < names.length; f++) {
            p.family(names[f], "gauge", helps[f] + "; cpu in cores, memory in bytes");
            for (int i = 0; i < totals.length; i++) {
                PoolTotals t = totals[i];
                long[] cpuMem = switch (f) {
                    case 0 -> new long[] {t.capacityMilliCpu(), t.capacityMemory()};
                    case 1 -> new long[] {t.requestedMilliCpu(), t.requestedMemory()};
                    case 2 -> new long[] {t.roomMilliCpu(), t.roomMemory()};
                    default -> new long[] {t.usageMilliCpu(), t.usageMemory()};
                };
                p.sample(names[f], cpuMem[0] / 1000.0, labels(schedulers.get(i), "resource", "cpu"));
                p.sample(names[f], cpuMem[1], labels(schedulers.get(i), "resource", "memory"));
            }
        }
    }

    private void shards(PromText p) {
        p.family("qshard_shard_nodes", "gauge", "nodes this instance places on now");
        p.family("qshard_shard_epoch", "gauge", "shard-map epoch this instance acknowledged (0: none, or unsharded)");
        p.family("qshard_leader", "gauge", "1 while this instance leads its (tier, shard)");
        p.family("qshard_hot_nodes", "gauge", "nodes of this instance that are hot or predicted hot (migration rule)");
        for (TierScheduler s : schedulers) {
            p.sample("qshard_shard_nodes", s.activeNodes(), labels(s));
            p.sample("qshard_shard_epoch", s.acknowledgedEpoch(), labels(s));
            p.sample("qshard_leader", s.leading() ? 1 : 0, labels(s));
            ClusterSnapshot snap = s.snapshot();
            int hot = 0;
            for (int i = 0; i < snap.size(); i++) {
                if (snap.node(i).hot()) {
                    hot++;
                }
            }
            p.sample("qshard_hot_nodes", hot, labels(s));
        }
    }

    private static String[] labels(TierScheduler s, String... more) {
        String[] out = new String[4 + more.length];
        out[0] = "tier";
        out[1] = s.tier().name();
        out[2] = "shard";
        out[3] = Integer.toString(s.shard());
        System.arraycopy(more, 0, out, 4, more.length);
        return out;
    }
}
