package io.qshard.kube.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PromTextTest {

    @Test
    void histogramBucketsAreCumulativeCountsAtTheBoundsInSeconds() {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        h.recordValue(20_000);      // 20 µs
        h.recordValue(200_000);     // 200 µs
        h.recordValue(3_000_000);   // 3 ms
        String text = new PromText().family("d", "histogram", "decisions")
                .histogram("d", h, TimeUnit.NANOSECONDS, new double[] {1e-5, 1e-4, 1e-3, 1e-2}, "tier", "prod").toString();
        // ≤ 10 µs: 0; ≤ 100 µs: 1; ≤ 1 ms: 2; ≤ 10 ms: 3; +Inf: 3; sum ≈ 3.22 ms (HdrHistogram's 3 significant digits)
        assertThat(text).contains("# TYPE d histogram\n")
                .contains("d_bucket{tier=\"prod\",le=\"0.00001\"} 0\n")
                .contains("d_bucket{tier=\"prod\",le=\"0.0001\"} 1\n")
                .contains("d_bucket{tier=\"prod\",le=\"0.001\"} 2\n")
                .contains("d_bucket{tier=\"prod\",le=\"0.01\"} 3\n")
                .contains("d_bucket{tier=\"prod\",le=\"+Inf\"} 3\n")
                .contains("d_count{tier=\"prod\"} 3\n");
        String sum = text.lines().filter(l -> l.startsWith("d_sum")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isBetween(3.21e-3, 3.23e-3);
    }

    @Test
    void labelValuesAreEscapedAndIntegersPrintWithoutAFraction() {
        String text = new PromText().family("g", "gauge", "a \"gauge\"\nwith a newline")
                .sample("g", 42, "node", "a\"b\\c").sample("g", 0.5).toString();
        assertThat(text).contains("# HELP g a \"gauge\"\\nwith a newline\n")
                .contains("g{node=\"a\\\"b\\\\c\"} 42\n")
                .contains("g 0.5\n");
    }
}
