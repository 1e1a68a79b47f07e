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
 * Time of one {@code observe} on the default ensemble, round-robin over {@code series} warmed predictors (so the
 * state of each is cold in the CPU caches, as in a usage view updating thousands of nodes): every call feeds the
 * next series its next sample, one minute after its previous one; the FFT period detection runs inside, amortised.
 *
 * <pre>java -jar bench/target/benchmarks.jar PredictorObserveBenchmark</pre>
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
public class PredictorObserveBenchmark {
    @Param({"1000", "10000"})
    public int series;

    private PredictorFleet fleet;
    private int next;

    @Setup
    public void setUp() {
        fleet = new PredictorFleet(series, 2 * 86_400);
    }

    @Benchmark
    public void observe() {
        if (next == series) {
            next = 0;
            fleet.now += PredictorFleet.STEP_SECONDS;
        }
        int s = next++;
        fleet.predictors[s].observe(fleet.now, fleet.value(s, fleet.now));
    }
}
