package io.qshard.bench;

import io.qshard.core.algorithm.DecisionReuse;
import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.cycle.CycleOutcome;
import io.qshard.core.cycle.FrameworkCycle;
import io.qshard.core.cycle.RuntimeSteps;
import io.qshard.core.framework.BindPlugin;
import io.qshard.core.framework.BindResult;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PermitPlugin;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.ReservePlugin;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Tier;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.plugins.hotspot.HotspotAvoidance;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Decisions per second for a run of equivalent pods — the replicas of one workload, 100m / 128Mi each as in the
 * end-to-end backlog — each placement assumed into the snapshot before the next decision, as the runtime does.
 * {@code maxReuses} 0 decides every pod in full; 15 is the shipped {@link DecisionReuse} default. {@code tier} is the
 * default profile of prod, or of batch — which also filters hot nodes ({@code AvoidHotNodes}) and is scored with
 * {@code HotspotAvoidance} added here, so both hotspot plugins read the heat the synthetic cluster carries
 * ({@link SyntheticCluster#heat}). The cluster is the synthetic one of {@link DecisionBenchmark} (filled to a mean
 * 80 % of cpu requests); after 2,000 pods it starts again from the same snapshot. One thread; the cost includes the
 * assume ({@code NodeState.reserve} and the snapshot update). {@link #decideAndAssume} is the decision alone;
 * {@link #cycleReserveAndBind} is the same through the {@link FrameworkCycle} the runtime calls — the assume as its
 * Reserve step, a Permit, and a Bind that answers at once — so the difference is what the framework's steps cost.
 *
 * <pre>java -jar bench/target/benchmarks.jar ReplicaRunBenchmark</pre>
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
public class ReplicaRunBenchmark {
    private static final int RUN = 2000;

    @Param({"1000", "5000"})
    public int nodes;

    @Param({"0", "15"})
    public int maxReuses;

    @Param({"prod", "batch"})
    public String tier;

    private DecisionReuse reuse;
    private FrameworkCycle cycle;
    private ClusterSnapshot base;
    private ClusterSnapshot snapshot;
    private PodRequest[] pods;
    private int next;
    private long seed;

    @Setup
    public void setUp() {
        Tier t = DefaultTiers.named(tier);
        if (DefaultTiers.BATCH.equals(tier)) {
            List<String> plugins = new ArrayList<>(t.plugins());
            plugins.add(HotspotAvoidance.NAME);
            Map<String, Integer> weights = new LinkedHashMap<>(t.scoreWeights());
            weights.put(HotspotAvoidance.NAME, 1);
            t = new Tier(t.name(), t.schedulerName(), t.priority(), t.poolRule(), plugins, weights, 1);
        }
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
                Profile.build(t, ShippedPlugins.registry(), PluginContext.defaults()), NodesToScore.adaptive());
        reuse = new DecisionReuse(algorithm, maxReuses);
        ReservePlugin assume = new ReservePlugin() {
            @Override
            public String name() {
                return "Assume";
            }

            @Override
            public Status reserve(CycleState state, PodRequest pod, String node) {
                snapshot = snapshot.with(snapshot.node(node).orElseThrow().reserve(pod.boundTo(node)));
                return Status.SUCCESS;
            }

            @Override
            public void unreserve(CycleState state, PodRequest pod, String node) {}
        };
        PermitPlugin permit = new PermitPlugin() {
            @Override
            public String name() {
                return "Permit";
            }

            @Override
            public Status permit(CycleState state, PodRequest pod, String node) {
                return Status.SUCCESS;
            }
        };
        BindPlugin bind = new BindPlugin() {
            @Override
            public String name() {
                return "Bind";
            }

            @Override
            public void bind(
                    CycleState state, PodRequest pod, String node, java.util.function.Consumer<BindResult> done) {
                done.accept(BindResult.BOUND);
            }
        };
        cycle = new FrameworkCycle(
                Profile.build(t, ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive(),
                maxReuses,
                new RuntimeSteps(List.of(assume), List.of(permit), bind, Runnable::run));
        ClusterState state = SyntheticCluster.build(nodes, 0, 42);
        SyntheticCluster.heat(state, 43);
        base = state.snapshot();
        snapshot = base;
        pods = new PodRequest[RUN];
        for (int i = 0; i < RUN; i++) {
            pods[i] = DefaultTiers.BATCH.equals(tier)
                    ? SyntheticCluster.batchPod("replica-" + i, 100, 128L << 20)
                    : SyntheticCluster.prodPod("replica-" + i, 100, 128L << 20);
        }
    }

    @Benchmark
    public ScheduleResult decideAndAssume() {
        if (next == RUN) {
            next = 0;
            snapshot = base;
        }
        PodRequest pod = pods[next++];
        ScheduleResult r = reuse.schedule(snapshot, pod, seed++);
        if (r.isPlaced()) {
            snapshot = snapshot.with(snapshot.node(r.node()).orElseThrow().reserve(pod.boundTo(r.node())));
        }
        return r;
    }

    @Benchmark
    public CycleOutcome cycleReserveAndBind() {
        if (next == RUN) {
            next = 0;
            snapshot = base;
        }
        CycleOutcome o = cycle.schedule(snapshot, pods[next++], seed++);
        if (o instanceof CycleOutcome.Reserved r) {
            cycle.bind(r, result -> {});
        }
        return o;
    }
}
