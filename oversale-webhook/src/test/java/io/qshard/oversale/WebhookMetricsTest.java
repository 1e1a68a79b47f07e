package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.kube.metrics.PrometheusMetrics;
import org.junit.jupiter.api.Test;

class WebhookMetricsTest {

    @Test
    void reviewTimesAreASummaryWithQuantilesAndTheirExactSum() {
        PrometheusMetrics exported = new PrometheusMetrics();
        WebhookMetrics m = new WebhookMetrics(exported);
        m.reviews.add(3);
        m.took(100_000);
        m.took(200_000);
        m.took(300_000);
        assertThat(exported.text().lines())
                .contains(
                        "# TYPE qshard_webhook_reviews_total counter",
                        "qshard_webhook_reviews_total 3.0",
                        "# TYPE qshard_webhook_review_seconds summary",
                        "qshard_webhook_review_seconds_count 3",
                        "qshard_webhook_review_seconds_sum 6.0E-4")
                .anyMatch(l -> l.startsWith("qshard_webhook_review_seconds{quantile=\"0.5\"} 2.0")) // 200 µs (3 digits)
                .anyMatch(l -> l.startsWith("qshard_webhook_review_seconds{quantile=\"0.999\"} 3.0"));
    }
}
