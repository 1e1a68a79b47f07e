package io.qshard.bench;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.Diagnosis;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.preemption.Preemption;
import io.qshard.core.preemption.PreemptionArgs;
import io.qshard.core.preemption.VictimOrder;
import io.qshard.core.preemption.Victims;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.time.Instant;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One preemption attempt (issue 22): the preemption decision alone, after the failed cycle. The synthetic cluster of
 * {@link DecisionBenchmark} (16/32/64-core nodes filled to 50–95 % of cpu with prod pods at prod's priority); the
 * preemptor is a prod pod one priority above them asking for 40 cores, which fits no node as it is, and after
 * preemption only the 64-core ones. Default prod profile and kube's candidate count (10 % of the nodes, at least
 * 100), so the dry run tries nodes until it has that many candidates; the offset moves each call. One thread.
 * {@link #rule} adds a rule spanning nodes to the preemptor.
 *
 * <pre>java -jar bench/target/benchmarks.jar PreemptionBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PreemptionBenchmark {
    @Param({"1000", "5000"})
    public int nodes;

    /**
     * {@code none}: a plain preemptor (its filters read the node alone); {@code spread}: it also carries a zone spread
     * constraint (maxSkew 1, DoNotSchedule, over pods like it), so every check runs the filters again on the snapshot
     * without the pods removed.
     */
    @Param({"none", "spread"})
    public String rule;

    private Preemption preemption;
    private ClusterSnapshot snapshot;
    private PodRequest pod;
    private Diagnosis diagnosis;
    private int offset;

    @Setup
    public void setUp() {
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
                Profile.build(
                        DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive());
        snapshot = SyntheticCluster.build(nodes, 0, 42).snapshot();
        PodRequest base = SyntheticCluster.prodPod("preemptor", 40_000, 8L << 30);
        pod = new PodRequest(
                base.uid(),
                base.namespace(),
                base.name(),
                base.tier(),
                base.poolRule(),
                base.requests(),
                base.nodeSelector(),
                base.affinity(),
                base.tolerations(),
                base.priority() + 1,
                base.creationTime(),
                base.owner(),
                null);
        if (rule.equals("spread")) {
            pod = pod.withTopology(
                    java.util.Map.of("app", "db"),
                    io.qshard.core.model.PodAffinity.NONE,
                    List.of(io.qshard.core.model.TopologySpreadConstraint.of(
                            1,
                            "topology.kubernetes.io/zone",
                            true,
                            io.qshard.core.model.LabelSelector.of(java.util.Map.of("app", "db"), List.of()))));
        }
        ScheduleResult r = algorithm.schedule(snapshot, pod, 1);
        if (r.isPlaced()) {
            throw new IllegalStateException("the preemptor fits without preemption: " + r);
        }
        diagnosis = r.diagnosis();
        preemption = new Preemption(algorithm::prepare, PreemptionArgs.DEFAULTS, new VictimOrder(p -> Instant.EPOCH));
        if (attempt() == null) {
            throw new IllegalStateException("no node can be made room on");
        }
    }

    @Benchmark
    public Victims attempt() {
        return preemption.decide(snapshot, pod, diagnosis, List.of(), offset++);
    }
}
