package io.qshard.core.replicas;

import static io.qshard.core.replicas.Fleet.GI;
import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A cluster for the planner and governor tests: {@code n} nodes of {@code cores} cores / 100 Gi with generous batch
 * resources advertised, each with a prod pod requesting 80 % of its cpu and 40 Gi, prod reported at {@code prodUsed}
 * milli-cores and 20 Gi per node (optionally a higher predicted peak), and the bound replicas of hosted workloads with
 * their observed usage in the same fresh report. The default profiles of each tier, with their own filters.
 */
final class Scene {
    static final Map<String, SchedulingAlgorithm> ALGORITHMS = new HashMap<>();

    static {
        for (String t : List.of(DefaultTiers.MID, DefaultTiers.BATCH, DefaultTiers.FREE)) {
            ALGORITHMS.put(
                    t,
                    new SchedulingAlgorithm(
                            Profile.build(DefaultTiers.named(t), ShippedPlugins.registry(), PluginContext.defaults()),
                            NodesToScore.adaptive()));
        }
    }

    static final Function<String, SchedulingAlgorithm> ALGORITHM = ALGORITHMS::get;

    private final Fleet fleet = new Fleet();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Map<String, Usage>> used = new LinkedHashMap<>();
    private final Map<String, Long> prodPeak = new HashMap<>();
    private final Set<String> hot = new HashSet<>();
    private int pods;

    Scene(int n, long cores, long prodUsed) {
        for (int i = 0; i < n; i++) {
            String name = "n" + i;
            names.add(name);
            fleet.node(node(name, cores * 1000, 100).batch(cores * 1000, 100));
            fleet.pod(name, pod("prod-" + i, "prod", cores * 800, 40).build());
            used.put(name, new HashMap<>(Map.of("prod", Fleet.u(prodUsed, 20))));
        }
    }

    /** The three-node scene: 10 cores each, prod using 2000m: batch pool 8500 − 2000 − 500 = 6000m per node. */
    static Scene three(long prodUsed) {
        return new Scene(3, 10, prodUsed);
    }

    String name(int i) {
        return names.get(i);
    }

    /** Prod's predicted peak on every node (milli-cores). */
    Scene prodPeak(long milliCpu) {
        names.forEach(n -> prodPeak.put(n, milliCpu));
        return this;
    }

    Scene hot(String node) {
        hot.add(node);
        return this;
    }

    /** A bound replica of {@code w} on {@code node}, observed using {@code usedCpu} milli-cores and 1 Gi. */
    Scene replica(HostedWorkload w, String node, long usedCpu) {
        PodRequest t = w.template();
        fleet.pod(
                node,
                pod(w.uid() + "-" + pods++, t.tier(), VirtualReplica.request(t, 0), 1)
                        .build());
        used.get(node).merge(t.tier(), new Usage(usedCpu, GI), Usage::plus);
        return this;
    }

    /** {@code count} replicas of {@code w} spread round-robin over the nodes. */
    Scene replicas(HostedWorkload w, int count, long usedCpu) {
        for (int i = 0; i < count; i++) {
            replica(w, names.get(i % names.size()), usedCpu);
        }
        return this;
    }

    ClusterSnapshot snapshot() {
        for (String n : names) {
            Map<String, Usage> peaks =
                    prodPeak.containsKey(n) ? Map.of("prod", Fleet.u(prodPeak.get(n), 20)) : Map.of();
            fleet.usage(n, used.get(n), peaks);
        }
        hot.forEach(fleet::hot);
        return fleet.snapshot();
    }

    static HostingSettings settings(double hysteresis) {
        HostingSettings d = HostingSettings.defaults();
        return new HostingSettings(
                d.minInterval(),
                d.upWindow(),
                hysteresis,
                d.maxStepPods(),
                d.maxStepPercent(),
                d.maxReplicasPerMinute(),
                d.manualHold(),
                d.maxReplicasCap(),
                d.freshShare());
    }

    static HostingSettings settings(double hysteresis, Duration minInterval, Duration upWindow) {
        HostingSettings d = settings(hysteresis);
        return new HostingSettings(
                minInterval,
                upWindow,
                hysteresis,
                d.maxStepPods(),
                d.maxStepPercent(),
                d.maxReplicasPerMinute(),
                d.manualHold(),
                d.maxReplicasCap(),
                d.freshShare());
    }

    /**
     * A hosted workload: a Deployment in namespace ns, its template {@code cpu} milli-cores and 1 Gi of {@code tier},
     * created at T0 + {@code age} seconds, ū = {@code perCpu} milli-cores and 1 Gi.
     */
    static HostedWorkload hosted(
            String name, String tier, long cpu, int min, int max, int current, int bound, int pending, long perCpu) {
        PodRequest template = pod(name, tier, cpu, 1).owner("Deployment", name).build();
        return new HostedWorkload(
                new WorkloadKey("ns", "apps", "Deployment", name),
                name,
                tier,
                template,
                new HostingSpec(true, min, max),
                Bookkeeping.NONE,
                current,
                bound,
                pending,
                new Usage(perCpu, GI),
                T0);
    }

    /** {@code w} with {@code current} replicas, all bound, and this bookkeeping. */
    static HostedWorkload with(HostedWorkload w, int current, Bookkeeping book) {
        return new HostedWorkload(
                w.key(),
                w.uid(),
                w.tier(),
                w.template(),
                w.spec(),
                book,
                current,
                current,
                0,
                w.perReplica(),
                w.created());
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
