package io.qshard.kube.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each row: instruments made and used through {@link Metrics}, and the exposition lines they must produce. */
class MetricsTest {

    static Stream<Arguments> instruments() {
        return Stream.of(
                row(
                        "a labelled counter counts per series",
                        m -> {
                            Metrics.Family<Metrics.Counter> c = m.counter("t_attempts_total", "attempts", "result");
                            c.labels("ok").inc();
                            c.labels("ok").inc(2);
                            c.labels("failed").inc();
                        },
                        "# TYPE t_attempts_total counter",
                        "t_attempts_total{result=\"ok\"} 3.0",
                        "t_attempts_total{result=\"failed\"} 1.0"),
                row(
                        "a counter without labels",
                        m -> m.counter("t_plain_total", "plain").labels().inc(5),
                        "t_plain_total 5.0"),
                row(
                        "a gauge keeps the last value, negative too",
                        m -> {
                            Metrics.Gauge g =
                                    m.gauge("t_quota_millicores", "quota").labels();
                            g.set(4000);
                            g.set(-1);
                        },
                        "# TYPE t_quota_millicores gauge",
                        "t_quota_millicores -1.0"),
                row(
                        "a histogram: cumulative buckets, a real sum and count",
                        m -> {
                            Metrics.Histogram h = m.histogram(
                                            "t_decision_seconds",
                                            "decisions",
                                            new double[] {1e-5, 1e-4, 1e-3, 1e-2},
                                            "tier")
                                    .labels("prod");
                            h.observe(2e-5);
                            h.observe(2e-4);
                            h.observe(3e-3);
                            h.observe(Double.NaN); // ignored
                        },
                        "# TYPE t_decision_seconds histogram",
                        "t_decision_seconds_bucket{tier=\"prod\",le=\"1.0E-5\"} 0",
                        "t_decision_seconds_bucket{tier=\"prod\",le=\"1.0E-4\"} 1",
                        "t_decision_seconds_bucket{tier=\"prod\",le=\"0.001\"} 2",
                        "t_decision_seconds_bucket{tier=\"prod\",le=\"0.01\"} 3",
                        "t_decision_seconds_bucket{tier=\"prod\",le=\"+Inf\"} 3",
                        "t_decision_seconds_count{tier=\"prod\"} 3",
                        "t_decision_seconds_sum{tier=\"prod\"} 0.00322"),
                row(
                        "a callback counter reads the component's numbers at scrape time",
                        m -> {
                            long[] kept = {7, 2};
                            m.counterWithCallback("t_evictions_total", "evictions", List.of("reason"), s -> {
                                s.sample(kept[0], "memory");
                                s.sample(kept[1], "besteffort_box");
                            });
                            kept[0] = 8;
                        },
                        "t_evictions_total{reason=\"memory\"} 8.0",
                        "t_evictions_total{reason=\"besteffort_box\"} 2.0"),
                row(
                        "a callback gauge without labels",
                        m -> m.gaugeWithCallback("t_leader", "leads", List.of(), s -> s.sample(1)),
                        "# TYPE t_leader gauge",
                        "t_leader 1.0"),
                row(
                        "a callback summary: quantiles, sum, count",
                        m -> m.summaryWithCallback(
                                "t_review_seconds",
                                "reviews",
                                List.of(),
                                s -> s.sample(4, 0.002, new double[] {0.5, 0.99}, new double[] {4e-4, 9e-4})),
                        "# TYPE t_review_seconds summary",
                        "t_review_seconds{quantile=\"0.5\"} 4.0E-4",
                        "t_review_seconds{quantile=\"0.99\"} 9.0E-4",
                        "t_review_seconds_count 4",
                        "t_review_seconds_sum 0.002"),
                row(
                        "label values and help are escaped",
                        m -> m.gauge("t_escaped", "a \"gauge\"\nwith a newline", "node")
                                .labels("a\"b\\c")
                                .set(42),
                        "# HELP t_escaped a \"gauge\"\\nwith a newline",
                        "t_escaped{node=\"a\\\"b\\\\c\"} 42.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instruments")
    void rendersWhatWasRecorded(String what, Consumer<Metrics> use, List<String> lines) {
        PrometheusMetrics m = new PrometheusMetrics();
        use.accept(m);
        assertThat(m.text().lines()).containsAll(lines);
        use.accept(Metrics.NOOP); // the same calls are accepted, and record nothing anywhere
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("a counter must end in _total", m -> m.counter("t_attempts", "x"), "t_attempts"),
                refusal("only a counter ends in _total", m -> m.gauge("t_nodes_total", "x"), "t_nodes_total"),
                refusal("not a Prometheus name", m -> m.gauge("t-nodes", "x"), "t-nodes"),
                refusal("a reserved label name", m -> m.histogram("t_seconds", "x", new double[] {1}, "le"), "'le'"),
                refusal(
                        "bucket bounds must increase",
                        m -> m.histogram("t_seconds", "x", new double[] {1, 1}),
                        "increasing"),
                refusal(
                        "a name twice",
                        m -> {
                            m.gaugeWithCallback("t_twice", "x", List.of(), s -> s.sample(1));
                            m.gauge("t_twice", "x");
                        },
                        "t_twice"),
                refusal(
                        "too few label values",
                        m -> m.counter("t_x_total", "x", "tier", "shard").labels("prod"),
                        "2 label values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badDefinitionsAreRefusedNamingWhatIsWrong(String what, Consumer<Metrics> define, String named) {
        assertThatThrownBy(() -> define.accept(new PrometheusMetrics()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void noopChecksLabelArityToo() {
        assertThatThrownBy(() -> Metrics.NOOP
                        .histogram("t_seconds", "x", new double[] {1}, "tier")
                        .labels())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 label values");
    }

    private static Arguments row(String what, Consumer<Metrics> use, String... lines) {
        return Arguments.of(what, use, List.of(lines));
    }

    private static Arguments refusal(String what, Consumer<Metrics> define, String named) {
        return Arguments.of(what, define, named);
    }
}
