package io.qshard.agent.metrics;

import io.qshard.kube.metrics.PromText;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's counters and gauges, rendered in the Prometheus text format by {@link #render}. Thread-safe.
 */
public final class AgentMetrics {
    /** NodeUsage reports written. */
    public final LongAdder reports = new LongAdder();
    /** Reports written early because usage moved (the fast path). */
    public final LongAdder fastReports = new LongAdder();
    /** API writes that failed (reports, advertisements). */
    public final LongAdder apiErrors = new LongAdder();
    /** Batch resources written on the node's status. */
    public final LongAdder advertisements = new LongAdder();
    /** cpu quota changes written (or, in dry-run, that would have been). */
    public final LongAdder quotaChanges = new LongAdder();
    /** Evictions asked for, by reason. */
    public final LongAdder boxEvictions = new LongAdder();
    public final LongAdder memoryEvictions = new LongAdder();
    /** Evictions the API refused (PodDisruptionBudget) or that failed. */
    public final LongAdder evictionsRefused = new LongAdder();
    /** Current burstable quota and besteffort box, milli-cores (-1: unlimited / not set). */
    public final AtomicLong burstableQuotaMilli = new AtomicLong(-1);
    public final AtomicLong besteffortBoxMilli = new AtomicLong(-1);
    /** Last sampled node cpu, milli-cores. */
    public final AtomicLong nodeCpuMilli = new AtomicLong();

    /**
     * @param readErrors  cgroup/proc files that could not be read
     * @param writeErrors cgroup files that could not be written
     * @return the metrics in the Prometheus text exposition format
     */
    public String render(long readErrors, long writeErrors) {
        PromText p = new PromText();
        counter(p, "qshard_agent_reports_total", "NodeUsage reports written", reports.sum());
        counter(p, "qshard_agent_fast_reports_total", "reports written early because usage moved", fastReports.sum());
        counter(p, "qshard_agent_api_errors_total", "API writes that failed", apiErrors.sum());
        counter(p, "qshard_agent_advertisements_total", "batch resources written on the node status", advertisements.sum());
        counter(p, "qshard_agent_quota_changes_total", "cpu quota changes", quotaChanges.sum());
        p.family("qshard_agent_evictions_total", "counter", "evictions asked for");
        p.sample("qshard_agent_evictions_total", boxEvictions.sum(), "reason", "besteffort_box");
        p.sample("qshard_agent_evictions_total", memoryEvictions.sum(), "reason", "memory");
        counter(p, "qshard_agent_evictions_refused_total", "evictions refused or failed", evictionsRefused.sum());
        counter(p, "qshard_agent_cgroup_read_errors_total", "control files that could not be read", readErrors);
        counter(p, "qshard_agent_cgroup_write_errors_total", "control files that could not be written", writeErrors);
        gauge(p, "qshard_agent_burstable_quota_millicores", "burstable cpu quota (-1: unlimited)", burstableQuotaMilli.get());
        gauge(p, "qshard_agent_besteffort_box_millicores", "besteffort cpu box (-1: unlimited)", besteffortBoxMilli.get());
        gauge(p, "qshard_agent_node_cpu_millicores", "node cpu usage, last sample", nodeCpuMilli.get());
        return p.toString();
    }

    private static void counter(PromText p, String name, String help, long v) {
        p.family(name, "counter", help).sample(name, v);
    }

    private static void gauge(PromText p, String name, String help, long v) {
        p.family(name, "gauge", help).sample(name, v);
    }
}
