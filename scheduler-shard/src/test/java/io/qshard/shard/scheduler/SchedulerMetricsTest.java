package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.metrics.Metrics;
import io.qshard.kube.metrics.PrometheusMetrics;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {

    @Test
    void latenciesGoToTheHdrHistogramsAlwaysAndToTheExportedSeriesOnceExportedWithARealSum() {
        SchedulerMetrics m = new SchedulerMetrics();
        m.decision(40_000); // before export: HdrHistogram only
        PrometheusMetrics exported = new PrometheusMetrics();
        Metrics.Family<Metrics.Histogram> d =
                exported.histogram("d_seconds", "d", SchedulerMetrics.DECISION_BUCKETS, "tier", "shard");
        Metrics.Family<Metrics.Histogram> e =
                exported.histogram("e_seconds", "e", SchedulerMetrics.E2E_BUCKETS, "tier", "shard");
        m.export(d.labels("prod", "0"), e.labels("prod", "0"));
        m.decision(20_000);
        m.decision(TimeUnit.SECONDS.toNanos(30)); // clamped to the 10 s the HdrHistogram holds, in both
        m.decision(-5); // a clock step back counts as 0
        m.endToEnd(1_500);

        assertThat(m.decisionHistogram().getTotalCount()).isEqualTo(4);
        assertThat(m.endToEndHistogram().getTotalCount()).isEqualTo(1);
        assertThat(exported.text().lines())
                .contains(
                        "d_seconds_count{shard=\"0\",tier=\"prod\"} 3",
                        "d_seconds_sum{shard=\"0\",tier=\"prod\"} 10.00002",
                        "d_seconds_bucket{shard=\"0\",tier=\"prod\",le=\"2.5E-5\"} 2",
                        "d_seconds_bucket{shard=\"0\",tier=\"prod\",le=\"1.0\"} 2",
                        "d_seconds_bucket{shard=\"0\",tier=\"prod\",le=\"+Inf\"} 3",
                        "e_seconds_count{shard=\"0\",tier=\"prod\"} 1",
                        "e_seconds_sum{shard=\"0\",tier=\"prod\"} 1.5",
                        "e_seconds_bucket{shard=\"0\",tier=\"prod\",le=\"1.0\"} 0",
                        "e_seconds_bucket{shard=\"0\",tier=\"prod\",le=\"2.5\"} 1");
    }
}
