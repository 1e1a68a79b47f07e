package io.qshard.agent.metrics;

import io.qshard.kube.metrics.Metrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The agent's counters and gauges, kept here (tests read them) and {@link #export}ed to a {@link Metrics} that reads them
 * at scrape time. Thread-safe.
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
     * Registers the agent's families on {@code m}, read from these counters at scrape time. Called once.
     *
     * @param readErrors  cgroup/proc files that could not be read
     * @param writeErrors cgroup files that could not be written
     */
    public void export(Metrics m, LongSupplier readErrors, LongSupplier writeErrors) {
        counter(m, "qshard_agent_reports_total", "NodeUsage reports written", reports::sum);
        counter(m, "qshard_agent_fast_reports_total", "reports written early because usage moved", fastReports::sum);
        counter(m, "qshard_agent_api_errors_total", "API writes that failed", apiErrors::sum);
        counter(
                m,
                "qshard_agent_advertisements_total",
                "batch resources written on the node status",
                advertisements::sum);
        counter(m, "qshard_agent_quota_changes_total", "cpu quota changes", quotaChanges::sum);
        m.counterWithCallback("qshard_agent_evictions_total", "evictions asked for", List.of("reason"), out -> {
            out.sample(boxEvictions.sum(), "besteffort_box");
            out.sample(memoryEvictions.sum(), "memory");
        });
        counter(m, "qshard_agent_evictions_refused_total", "evictions refused or failed", evictionsRefused::sum);
        counter(m, "qshard_agent_cgroup_read_errors_total", "control files that could not be read", readErrors);
        counter(m, "qshard_agent_cgroup_write_errors_total", "control files that could not be written", writeErrors);
        gauge(
                m,
                "qshard_agent_burstable_quota_millicores",
                "burstable cpu quota (-1: unlimited)",
                burstableQuotaMilli::get);
        gauge(
                m,
                "qshard_agent_besteffort_box_millicores",
                "besteffort cpu box (-1: unlimited)",
                besteffortBoxMilli::get);
        gauge(m, "qshard_agent_node_cpu_millicores", "node cpu usage, last sample", nodeCpuMilli::get);
    }

    private static void counter(Metrics m, String name, String help, LongSupplier v) {
        m.counterWithCallback(name, help, List.of(), out -> out.sample(v.getAsLong()));
    }

    private static void gauge(Metrics m, String name, String help, LongSupplier v) {
        m.gaugeWithCallback(name, help, List.of(), out -> out.sample(v.getAsLong()));
    }
}
