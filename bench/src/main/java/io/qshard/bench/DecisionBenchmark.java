package io.qshard.bench;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
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
 * Scheduling decisions per second for one prod pod (1c / 2Gi) with the default prod plugin set, one thread,
 * on a synthetic cluster filled to 50–95% (mean 80%) of cpu requests. Adaptive nodesToScore, as shipped.
 *
 * <pre>java -jar bench/target/benchmarks.jar DecisionBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecisionBenchmark {
    @Param({"1000", "5000", "10000"})
    public int nodes;

    private SchedulingAlgorithm algorithm;
    private ClusterSnapshot snapshot;
    private PodRequest pod;
    private long seed;

    @Setup
    public void setUp() {
        algorithm = new SchedulingAlgorithm(
                Profile.build(
                        DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive());
        snapshot = SyntheticCluster.build(nodes, 0, 42).snapshot();
        pod = SyntheticCluster.prodPod("pending", 1000, 2L << 30);
    }

    @Benchmark
    public ScheduleResult decide() {
        return algorithm.schedule(snapshot, pod, seed++);
    }
}
