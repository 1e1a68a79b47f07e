package io.qshard.bench;

import io.qshard.core.algorithm.DecisionReuse;
import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Decisions per second for runs of Deployment-like replicas with topology rules (issue 20), each placement assumed
 * into the {@link ClusterState} before the next decision — so the domains the rules read change as the run goes, as
 * in the runtime. Modelled on {@link ReplicaRunBenchmark}: the prod tier's default profile, {@link DecisionReuse}
 * ({@code maxReuses}, shipped default 15), adaptive nodesToScore, one thread; the cost includes the assume
 * ({@code ClusterState.assume}, which also updates the cluster-wide topology) and publishing the next snapshot.
 *
 * <p>The cluster is {@link SyntheticCluster}'s (filled to a mean 80 % of cpu requests) with its nodes in 10 zones
 * ({@code topology.kubernetes.io/zone}, {@code kubernetes.io/hostname}) and every bound pod a replica of one of 500
 * apps ({@code app: appN}, at most one per app per node). The pending pods are runs of 10 replicas (100m / 128Mi)
 * per app, app after app, in namespace {@code bench}, with — by {@code scenario} — a required
 * {@code podAntiAffinity} on {@code kubernetes.io/hostname} against their own app ({@code antiAffinity}), a
 * {@code topologySpreadConstraint} on the zone, maxSkew 1, DoNotSchedule, on their own app ({@code zoneSpread}), or
 * both ({@code both}). {@code cluster}: {@code labels} — the bound pods carry only their app label and the pending
 * pods have no owner (the bare case); {@code deployments} — every pod, bound or pending, is a replica of its app's
 * ReplicaSet (owner registered with its selector, so pods without their own spread constraints get the tier's
 * default constraints) and the bound pods carry the same rules as the pending ones (so an existing pod's
 * anti-affinity term applies to incoming pods too: the symmetry rule).
 *
 * <p>State per iteration: the pods assumed in an iteration are removed from the state before the next (outside the
 * measurement); the pending pods run through {@code nodes × 20} replicas (200 per app at 5,000 nodes, next to the
 * ~260 per app already bound; 40 next to ~52 at 1,000 nodes; together 2 cores per node, far from exhausting the free
 * capacity), and should one iteration get through all of them, the state is reset inline — counted in the
 * {@code resets} counter, its cost then inside the measurement.
 * {@code unschedulable} counts decisions that placed nothing (expected 0: every rule can be met).
 *
 * <pre>java -jar bench/target/benchmarks.jar TopologyDecisionBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TopologyDecisionBenchmark {
    static final int ZONES = 10;
    static final int APPS = 500;
    static final int REPLICAS = 10;
    static final String NAMESPACE = "bench";

    @Param({"1000", "5000"})
    public int nodes;

    @Param({"antiAffinity", "zoneSpread", "both"})
    public String scenario;

    @Param({"labels", "deployments"})
    public String cluster;

    @Param({"15"})
    public int maxReuses;

    private ClusterState state;
    private DecisionReuse reuse;
    private PodRequest[] pods;
    private int next;
    private long seed;

    /** Decisions that placed nothing, and inline resets, per iteration (JMH reports the sums). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcomes {
        public long unschedulable;
        public long resets;

        @Setup(Level.Iteration)
        public void clear() {
            unschedulable = 0;
            resets = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        boolean anti = scenario.equals("antiAffinity") || scenario.equals("both");
        boolean spread = scenario.equals("zoneSpread") || scenario.equals("both");
        if (!anti && !spread) {
            throw new IllegalArgumentException("scenario must be antiAffinity, zoneSpread or both, was " + scenario);
        }
        boolean deployments = switch (cluster) {
            case "labels" -> false;
            case "deployments" -> true;
            default -> throw new IllegalArgumentException("cluster must be labels or deployments, was " + cluster);
        };
        Apps apps = new Apps(anti, spread, deployments);
        SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
                Profile.build(
                        DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive());
        reuse = new DecisionReuse(algorithm, maxReuses);
        state = SyntheticCluster.build(nodes, 0, 42, ZONES, APPS, (p, app) -> apps.replica(p, app, deployments));
        if (deployments) {
            for (int a = 0; a < APPS; a++) {
                state.controllerSelector("bench", apps.owners[a].uid(), apps.selectors[a]);
            }
        }
        pods = new PodRequest[nodes * 20];
        for (int i = 0; i < pods.length; i++) {
            int app = (i / REPLICAS) % APPS;
            pods[i] = apps.replica(SyntheticCluster.prodPod("replica-" + i, 100, 128L << 20), app, true);
        }
        next = 0;
    }

    /** Takes the pods assumed so far out of the state again. */
    @Setup(Level.Iteration)
    public void reset() {
        for (int i = 0; i < next; i++) {
            state.removePod(pods[i].uid());
        }
        next = 0;
    }

    @Benchmark
    public ScheduleResult decideAndAssume(Outcomes outcomes) {
        if (next == pods.length) {
            reset();
            outcomes.resets++;
        }
        PodRequest pod = pods[next++];
        ScheduleResult r = reuse.schedule(state.snapshot(), pod, seed++);
        if (r.isPlaced()) {
            state.assume(pod, r.node());
        } else {
            outcomes.unschedulable++;
        }
        return r;
    }

    /** Per app: its labels, selector, rules and owner, shared by all its pods. */
    private static final class Apps {
        final LabelSelector[] selectors = new LabelSelector[APPS];
        final OwnerRef[] owners = new OwnerRef[APPS];
        private final Map<String, String>[] labels;
        private final PodAffinity[] affinity = new PodAffinity[APPS];
        private final List<TopologySpreadConstraint>[] spread;

        @SuppressWarnings("unchecked")
        Apps(boolean anti, boolean zoneSpread, boolean deployments) {
            labels = new Map[APPS];
            spread = new List[APPS];
            for (int a = 0; a < APPS; a++) {
                labels[a] = Map.of("app", "app" + a);
                selectors[a] = LabelSelector.of(labels[a], List.of());
                affinity[a] = anti
                        ? new PodAffinity(
                                List.of(),
                                List.of(),
                                List.of(new PodAffinityTerm(
                                        selectors[a], Set.of(NAMESPACE), null, TopologySpreadConstraint.HOSTNAME_KEY)),
                                List.of())
                        : PodAffinity.NONE;
                spread[a] = zoneSpread
                        ? List.of(TopologySpreadConstraint.of(1, TopologySpreadConstraint.ZONE_KEY, true, selectors[a]))
                        : List.of();
                owners[a] = deployments ? new OwnerRef("ReplicaSet", "app" + a + "-rs", "rs-uid-" + a) : null;
            }
        }

        /** {@code p} as a replica of {@code app}: its label, its owner, and its rules when {@code rules}. */
        PodRequest replica(PodRequest p, int app, boolean rules) {
            return new PodRequest(
                    p.uid(),
                    p.namespace(),
                    p.name(),
                    p.tier(),
                    p.poolRule(),
                    p.requests(),
                    p.nodeSelector(),
                    p.affinity(),
                    p.tolerations(),
                    p.priority(),
                    p.creationTime(),
                    owners[app],
                    p.nodeName(),
                    labels[app],
                    rules ? affinity[app] : PodAffinity.NONE,
                    rules ? spread[app] : List.of(),
                    false);
        }
    }
}
