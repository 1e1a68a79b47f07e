package io.qshard.kube.metrics;

import io.prometheus.metrics.core.datapoints.DataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@link Metrics} over a {@link PrometheusRegistry} of its own (the Prometheus Java client 1.x): classic-bucket
 * histograms without exemplars, and the registry rendered by the library's text format writer ({@link #text}). One
 * per process (or per component served on its own port). Thread-safe.
 */
public final class PrometheusMetrics implements Metrics {
    /** Content type of {@link #text}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    @Override
    public Family<Counter> counter(String name, String help, String... labelNames) {
        check(name, true, List.of(labelNames));
        var c = io.prometheus.metrics.core.metrics.Counter.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .withoutExemplars()
                .register(registry);
        return family(c, labelNames.length, dp -> dp::inc);
    }

    @Override
    public Family<Gauge> gauge(String name, String help, String... labelNames) {
        check(name, false, List.of(labelNames));
        var g = io.prometheus.metrics.core.metrics.Gauge.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .withoutExemplars()
                .register(registry);
        return family(g, labelNames.length, dp -> dp::set);
    }

    @Override
    public Family<Histogram> histogram(String name, String help, double[] upperBounds, String... labelNames) {
        check(name, false, List.of(labelNames));
        for (int i = 0; i < upperBounds.length; i++) {
            double below = i == 0 ? Double.NEGATIVE_INFINITY : upperBounds[i - 1];
            if (!(upperBounds[i] > below) || Double.isInfinite(upperBounds[i])) {
                throw new IllegalArgumentException("histogram " + name + ": upperBounds must be finite and increasing, "
                        + "was " + java.util.Arrays.toString(upperBounds));
            }
        }
        var h = io.prometheus.metrics.core.metrics.Histogram.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames)
                .classicOnly()
                .classicUpperBounds(upperBounds)
                .withoutExemplars()
                .register(registry);
        return family(h, labelNames.length, dp -> dp::observe);
    }

    @Override
    public void counterWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect) {
        check(name, true, labelNames);
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames.toArray(String[]::new))
                .callback(cb -> collect.accept(cb::call))
                .register(registry);
    }

    @Override
    public void gaugeWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect) {
        check(name, false, labelNames);
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames.toArray(String[]::new))
                .callback(cb -> collect.accept(cb::call))
                .register(registry);
    }

    @Override
    public void summaryWithCallback(
            String name, String help, List<String> labelNames, Consumer<SummarySamples> collect) {
        check(name, false, labelNames);
        SummaryWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames(labelNames.toArray(String[]::new))
                .callback(cb -> collect.accept((count, sum, ranks, values, labelValues) -> {
                    Quantile[] q = new Quantile[ranks.length];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = new Quantile(ranks[i], values[i]);
                    }
                    cb.call(count, sum, Quantiles.of(q), labelValues);
                }))
                .register(registry);
    }

    /** @return every registered family in the Prometheus text format, scraped now (callbacks run on this thread) */
    public String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void check(String name, boolean counter, List<String> labelNames) {
        if (name == null || !METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' is not a Prometheus name");
        }
        if (counter != name.endsWith("_total")) {
            throw new IllegalArgumentException(
                    "metric name '" + name + "': counters, and only counters, end in _total");
        }
        for (String l : labelNames) {
            if (l == null
                    || !LABEL_NAME.matcher(l).matches()
                    || l.startsWith("__")
                    || l.equals("le")
                    || l.equals("quantile")) {
                throw new IllegalArgumentException("metric " + name + ": label name '" + l + "' is not allowed");
            }
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException("metric " + name + " is registered already");
        }
    }

    private static <D extends DataPoint, T> Family<T> family(
            StatefulMetric<D, ?> metric, int labels, Function<D, T> wrap) {
        return values -> {
            if (values.length != labels) {
                throw new IllegalArgumentException("expected " + labels + " label values, got " + values.length);
            }
            return wrap.apply(metric.labelValues(values));
        };
    }
}
