package io.qshard.kube.metrics;

import java.util.List;
import java.util.function.Consumer;

/** {@link Metrics#NOOP}: instruments that record nothing, callbacks never called; label arity is checked. Stateless. */
final class NoopMetrics implements Metrics {
    private static final Counter COUNTER = amount -> {};
    private static final Gauge GAUGE = value -> {};
    private static final Histogram HISTOGRAM = value -> {};

    @Override
    public Family<Counter> counter(String name, String help, String... labelNames) {
        return family(COUNTER, labelNames.length);
    }

    @Override
    public Family<Gauge> gauge(String name, String help, String... labelNames) {
        return family(GAUGE, labelNames.length);
    }

    @Override
    public Family<Histogram> histogram(String name, String help, double[] upperBounds, String... labelNames) {
        return family(HISTOGRAM, labelNames.length);
    }

    @Override
    public void counterWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect) {}

    @Override
    public void gaugeWithCallback(String name, String help, List<String> labelNames, Consumer<Samples> collect) {}

    @Override
    public void summaryWithCallback(
            String name, String help, List<String> labelNames, Consumer<SummarySamples> collect) {}

    private static <T> Family<T> family(T instrument, int labels) {
        return values -> {
            if (values.length != labels) {
                throw new IllegalArgumentException("expected " + labels + " label values, got " + values.length);
            }
            return instrument;
        };
    }
}
