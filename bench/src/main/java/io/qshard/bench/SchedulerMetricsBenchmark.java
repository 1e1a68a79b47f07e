package io.qshard.bench;

import io.qshard.kube.metrics.PrometheusMetrics;
import io.qshard.shard.scheduler.SchedulerMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the scheduler's per-pod metric calls cost, exported as the scheduler process exports them: on the decision
 * thread one latency and one counter per decision ({@code decided}), on the binding answer thread one counter and one
 * latency per binding ({@code bound}). {@code DecisionBenchmark} does not include these calls.
 *
 * <pre>java -jar bench/target/benchmarks.jar SchedulerMetricsBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class SchedulerMetricsBenchmark {
    private SchedulerMetrics metrics;
    private long step;

    @Setup
    public void setUp() {
        metrics = new SchedulerMetrics();
        PrometheusMetrics exported = new PrometheusMetrics();
        metrics.export(
                exported.histogram("d_seconds", "d", SchedulerMetrics.DECISION_BUCKETS, "tier", "shard")
                        .labels("prod", "0"),
                exported.histogram("e_seconds", "e", SchedulerMetrics.E2E_BUCKETS, "tier", "shard")
                        .labels("prod", "0"));
    }

    @Benchmark
    public void decided() {
        step = (step + 7_919) % 200_000;
        metrics.decision(10_000 + step); // 10-210 µs
        metrics.scheduled.increment();
    }

    @Benchmark
    public void bound() {
        step = (step + 7_919) % 200_000;
        metrics.bound.increment();
        metrics.endToEnd(step / 100); // 0-2 s
    }
}
