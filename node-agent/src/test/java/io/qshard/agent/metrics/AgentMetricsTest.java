package io.qshard.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.metrics.PrometheusMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    @Test
    void theFamiliesReadTheCountersAtScrapeTime() {
        AgentMetrics m = new AgentMetrics();
        PrometheusMetrics exported = new PrometheusMetrics();
        AtomicLong readErrors = new AtomicLong();
        m.export(exported, readErrors::get, () -> 0);
        m.reports.add(3);
        m.memoryEvictions.increment();
        m.burstableQuotaMilli.set(12_500);
        readErrors.set(2);
        assertThat(exported.text().lines())
                .contains(
                        "# TYPE qshard_agent_reports_total counter", "qshard_agent_reports_total 3.0",
                        "qshard_agent_evictions_total{reason=\"besteffort_box\"} 0.0",
                                "qshard_agent_evictions_total{reason=\"memory\"} 1.0",
                        "qshard_agent_cgroup_read_errors_total 2.0", "qshard_agent_cgroup_write_errors_total 0.0",
                        "# TYPE qshard_agent_burstable_quota_millicores gauge",
                                "qshard_agent_burstable_quota_millicores 12500.0",
                        "qshard_agent_besteffort_box_millicores -1.0", "qshard_agent_node_cpu_millicores 0.0");
    }
}
