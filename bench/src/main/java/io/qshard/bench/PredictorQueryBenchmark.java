package io.qshard.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one {@code predictPeak(30 min, 0.85)} and of one {@code hotspotProbability(80, 30 min)} on the default
 * ensemble, round-robin over {@code series} predictors warmed with two days of samples.
 *
 * <pre>java -jar bench/target/benchmarks.jar PredictorQueryBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PredictorQueryBenchmark {
    @Param({"1000", "10000"})
    public int series;

    private PredictorFleet fleet;
    private int next;

    @Setup
    public void setUp() {
        fleet = new PredictorFleet(series, 2 * 86_400);
    }

    private int nextSeries() {
        if (next == series) {
            next = 0;
        }
        return next++;
    }

    @Benchmark
    public double predictPeak() {
        return fleet.predictors[nextSeries()].predictPeak(1800, 0.85);
    }

    @Benchmark
    public double hotspotProbability() {
        return fleet.predictors[nextSeries()].hotspotProbability(80, 1800);
    }
}
