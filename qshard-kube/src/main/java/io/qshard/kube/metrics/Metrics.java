package io.qshard.kube.metrics;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a component creates its metric instruments: counters, gauges and histograms by name, help and label names,
 * and callback variants for numbers the component already keeps (read at scrape time). {@link #NOOP} creates
 * instruments that do nothing (unit tests, components run without a metrics endpoint); {@link PrometheusMetrics}
 * registers them in a Prometheus registry. Names follow Prometheus ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}); a counter's name
 * ends in {@code _total}. A name is registered once per {@code Metrics}: a second family of the same name is an
 * {@link IllegalArgumentException} (not for {@link #NOOP}, which keeps nothing). Thread-safe; instruments are
 * thread-safe and cheap to update (look a series up once with {@link Family#labels} and keep it on hot paths). Callbacks
 * run on the scraping thread and must only read thread-safe state.
 */
public interface Metrics {
    /** Instruments that record nothing; label arity is still checked. */
    Metrics NOOP = new NoopMetrics();

    /** A counter family; values only go up. */
    Family<Counter> counter(String name, String help, String... labelNames);

    /** A gauge family; values go up and down. */
    Family<Gauge> gauge(String name, String help, String... labelNames);

    /**
     * A histogram family with classic buckets and a real {@code _sum} and {@code _count}.
     *
     * @param upperBounds increasing bucket upper bounds, in the unit of the observed values ({@code +Inf} is added)
     */
    Family<Histogram> histogram(String name, String help, double[] upperBounds, String... labelNames);

    /** A counter family whose samples {@code collect} gives at each scrape, one per label value combination. */
    void counterWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect);

    /** A gauge family whose samples {@code collect} gives at each scrape, one per label value combination. */
    void gaugeWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect);

    /**
     * A summary family (quantiles, {@code _sum}, {@code _count}) whose samples {@code collect} gives at each scrape;
     * for a component that keeps its own latency distribution.
     */
    void summaryWithCallback(String name, String help, List<String> labelNames, Consumer<SummarySamples> collect);

    /** The instruments of one metric, by label values. */
    interface Family<T> {
        /**
         * @param labelValues one value per label name, in their order
         * @return the series of these values (created on first use)
         * @throws IllegalArgumentException when the number of values is not the number of label names
         */
        T labels(String... labelValues);
    }

    /** One counter series. */
    @FunctionalInterface
    interface Counter {
        /** @param amount ≥ 0 */
        void inc(double amount);

        default void inc() {
            inc(1);
        }
    }

    /** One gauge series. */
    @FunctionalInterface
    interface Gauge {
        void set(double value);
    }

    /** One histogram series. */
    @FunctionalInterface
    interface Histogram {
        /** @param value in the unit of the family's bucket bounds (NaN is ignored) */
        void observe(double value);
    }

    /** Receives a callback family's samples during a scrape. */
    @FunctionalInterface
    interface Samples {
        /** @param labelValues one value per label name of the family, in their order */
        void sample(double value, String... labelValues);
    }

    /** Receives a callback summary's samples during a scrape. */
    @FunctionalInterface
    interface SummarySamples {
        /**
         * @param count       observations so far
         * @param sum         their sum
         * @param quantiles   quantile ranks in [0, 1], increasing
         * @param values      the value at each rank (same length as {@code quantiles})
         * @param labelValues one value per label name of the family, in their order
         */
        void sample(long count, double sum, double[] quantiles, double[] values, String... labelValues);
    }
}
