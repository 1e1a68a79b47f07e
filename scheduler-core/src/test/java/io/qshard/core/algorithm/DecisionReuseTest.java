package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecisionReuseTest {
    private static SchedulingAlgorithm algorithm(String tier) {
        return new SchedulingAlgorithm(
                Profile.build(DefaultTiers.named(tier), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive());
    }

    private final SchedulingAlgorithm prod = algorithm("prod");

    /** A tier's default profile with the hotspot score plugin added (batch already filters on AvoidHotNodes). */
    static SchedulingAlgorithm withHotspots(String tierName) {
        var t = DefaultTiers.named(tierName);
        var plugins = new java.util.ArrayList<>(t.plugins());
        plugins.add(io.qshard.core.plugins.hotspot.HotspotAvoidance.NAME);
        var weights = new java.util.LinkedHashMap<>(t.scoreWeights());
        weights.put(io.qshard.core.plugins.hotspot.HotspotAvoidance.NAME, 2);
        var tier = new io.qshard.core.model.Tier(
                t.name(), t.schedulerName(), t.priority(), t.poolRule(), plugins, weights, 1);
        return new SchedulingAlgorithm(
                Profile.build(tier, ShippedPlugins.registry(), PluginContext.defaults()), NodesToScore.adaptive());
    }

    private static ClusterSnapshot identical(int n) {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < n; i++) {
            s = s.with(node("n" + i, 8000, 32).state());
        }
        return s;
    }

    private static ClusterSnapshot assume(ClusterSnapshot s, PodRequest pod, String node) {
        return s.with(s.node(node).orElseThrow().reserve(pod.boundTo(node)));
    }

    /**
     * The contract: a reused decision is exactly the full decision from the window's start node. Random clusters
     * (sizes, PreferNoSchedule taints so TaintToleration scores), runs of equivalent pods of random shapes, each
     * placement assumed, and outside changes between decisions (foreign pods on random nodes, a node added now and
     * then) — every decision is compared with the full algorithm's.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"prod", "batch"})
    void everyReusedDecisionEqualsTheFullDecisionFromTheWindowsStart(String tier) {
        SchedulingAlgorithm algo = withHotspots(tier);
        assertThat(algo.nodeLocal()).as("every plugin reads only the snapshot").isTrue();
        SplittableRandom random = new SplittableRandom(42);
        long reusedInAll = 0;
        long decisions = 0;
        for (int cluster = 0; cluster < 6; cluster++) {
            ClusterSnapshot s = ClusterSnapshot.empty();
            int nodes = 150 + random.nextInt(300);
            for (int i = 0; i < nodes; i++) {
                long cpu = 2000L << random.nextInt(3);
                long mem = 4L << random.nextInt(3);
                var b = node("n" + i, cpu, mem).batch(cpu, mem); // batch pods ask in the advertised batch resources
                if (random.nextInt(5) == 0) {
                    b.taint("spot", "yes", Taint.Effect.PREFER_NO_SCHEDULE);
                }
                s = s.with(b.state());
            }
            DecisionReuse reuse = new DecisionReuse(algo, DecisionReuse.DEFAULT_MAX_REUSES);
            int uid = 0;
            for (int run = 0; run < 30; run++) {
                long cpu = 250L * (1 + random.nextInt(6));
                long mem = 1 + random.nextInt(2);
                int length = 1 + random.nextInt(40);
                for (int k = 0; k < length; k++) {
                    PodRequest pod =
                            pod("p" + cluster + "-" + uid++, tier, cpu, mem).build();
                    long seed = random.nextLong();
                    long reusedBefore = reuse.reusedDecisions();
                    int start = reuse.window.start;
                    ScheduleResult got = reuse.schedule(s, pod, seed);
                    boolean wasReused = reuse.reusedDecisions() > reusedBefore;
                    ScheduleResult want = wasReused
                            ? algo.decide(s, pod, seed, start, null, new io.qshard.core.framework.CycleState())
                            : algo.schedule(s, pod, seed);
                    assertThat(got.node())
                            .as("decision %d (reused: %s)", decisions, wasReused)
                            .isEqualTo(want.node());
                    assertThat(got.score()).isEqualTo(want.score());
                    assertThat(got.evaluated()).isEqualTo(want.evaluated());
                    assertThat(got.feasible()).isEqualTo(want.feasible());
                    decisions++;
                    reusedInAll += wasReused ? 1 : 0;
                    if (got.isPlaced()) {
                        s = assume(s, pod, got.node());
                    }
                    if (random.nextInt(4) == 0) { // someone else's pod lands on a random node
                        NodeState n = s.node(random.nextInt(s.size()));
                        s = s.with(n.reserve(pod("f" + uid++, "prod", 100L * random.nextInt(1, 20), 1)
                                .foreign()
                                .build()));
                    }
                    if (random.nextInt(60) == 0) {
                        s = s.with(
                                node("extra" + uid++, 8000, 32).batch(4000, 16).state());
                    }
                    if (random.nextInt(6)
                            == 0) { // a usage report changes a node's heat (hot flag, hotspot probability)
                        NodeState n = s.node(random.nextInt(s.size()));
                        s = s.with(
                                n.withHeat(random.nextInt(8) == 0, random.nextInt(3) == 0 ? random.nextDouble() : 0));
                    }
                }
            }
        }
        // the test must exercise the reuse path, not only the fallback (seen: ~60% of decisions reused)
        assertThat(reusedInAll).isGreaterThan(decisions / 3);
    }

    @Test
    void aRunOfEquivalentPodsMakesOneFullDecisionPerWindow() {
        DecisionReuse reuse = new DecisionReuse(prod, 15);
        ClusterSnapshot s = identical(1000);
        for (int i = 0; i < 32; i++) {
            PodRequest p = pod("p" + i, "prod", 500, 1).build();
            s = assume(s, p, reuse.schedule(s, p, i).node());
        }
        // 32 pods = (1 full + 15 reused) × 2
        assertThat(reuse.fullDecisions()).isEqualTo(2);
        assertThat(reuse.reusedDecisions()).isEqualTo(30);
    }

    @Test
    void aRunSpreadsOverTheClusterLikeFullDecisions() {
        DecisionReuse reuse = new DecisionReuse(prod, 15);
        ClusterSnapshot s = identical(1000);
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            PodRequest p = pod("p" + i, "prod", 500, 1).build();
            String n = reuse.schedule(s, p, i).node();
            s = assume(s, p, n);
            perNode.merge(n, 1, Integer::sum);
        }
        // 2,000 pods on 1,000 nodes, LeastAllocated over 420-node windows with a fresh start every 16 pods: every node
        // gets 1–3 pods (seen: 7 / 986 / 7 nodes with 1 / 2 / 3; full decisions alone: 1 / 998 / 1)
        assertThat(perNode).hasSize(1000);
        assertThat(perNode.values().stream().mapToInt(Integer::intValue).max().orElseThrow())
                .isLessThanOrEqualTo(3);
    }

    @Test
    void aDifferentPodDecidesInFull() {
        DecisionReuse reuse = new DecisionReuse(prod, 15);
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 500; i++) {
            s = s.with(node("n" + i, 8000, 32)
                    .label("zone", i % 2 == 0 ? "a" : "b")
                    .state());
        }
        reuse.schedule(s, pod("a", "prod", 500, 1).build(), 1);
        reuse.schedule(s, pod("b", "prod", 600, 1).build(), 2); // other cpu
        reuse.schedule(s, pod("c", "prod", 600, 1).selector("zone", "a").build(), 3); // other selector
        reuse.schedule(s, pod("d", "prod", 600, 1).selector("zone", "a").build(), 4); // equivalent to c
        assertThat(reuse.fullDecisions()).isEqualTo(3);
        assertThat(reuse.reusedDecisions()).isEqualTo(1);
    }

    @Test
    void aNodeThatStopsFittingFallsBackToAFullDecision() {
        DecisionReuse reuse = new DecisionReuse(prod, 15);
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("small", 1000, 8).state())
                .with(node("big", 8000, 32).state());
        PodRequest first = pod("p0", "prod", 1000, 1).build();
        ScheduleResult r = reuse.schedule(s, first, 0);
        assertThat(r.feasible()).isEqualTo(2);
        s = assume(s, first, "small"); // whatever was chosen, "small" is now full: its verdict flips
        ScheduleResult next = reuse.schedule(s, pod("p1", "prod", 1000, 1).build(), 1);
        assertThat(next.node()).isEqualTo("big");
        assertThat(reuse.reusedDecisions()).isZero();
        assertThat(reuse.fullDecisions()).isEqualTo(2);
    }

    @Test
    void offWithZeroAndForProfilesWithAPluginThatIsNotNodeLocal() {
        ClusterSnapshot s = identical(300);
        DecisionReuse off = new DecisionReuse(prod, 0);
        var registry = ShippedPlugins.registry().register("Global", ctx -> new Global());
        var config = new io.qshard.core.config.QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, Global]}]",
                        "t");
        SchedulingAlgorithm global = new SchedulingAlgorithm(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()), NodesToScore.adaptive());
        assertThat(global.nodeLocal()).isFalse();
        assertThat(prod.nodeLocal()).isTrue();
        DecisionReuse notLocal = new DecisionReuse(global, 15);
        for (int i = 0; i < 5; i++) {
            off.schedule(s, pod("p" + i, "prod", 500, 1).build(), i);
            notLocal.schedule(s, pod("g" + i, "prod", 500, 1).build(), i);
        }
        assertThat(off.reusedDecisions()).isZero();
        assertThat(notLocal.reusedDecisions()).isZero();
        assertThat(notLocal.fullDecisions()).isEqualTo(5);
        assertThatThrownBy(() -> new DecisionReuse(prod, -1)).hasMessageContaining("maxReuses");
    }

    /** A scorer that does not claim {@link io.qshard.core.framework.Plugin#nodeLocal} (the default). */
    static final class Global implements io.qshard.core.framework.ScorePlugin {
        @Override
        public String name() {
            return "Global";
        }

        @Override
        public long score(io.qshard.core.framework.CycleState state, PodRequest pod, NodeState node) {
            return 50;
        }
    }

    /** A node-local scorer that throws while {@link #explode} is set (a plugin bug). */
    static final class Flaky implements io.qshard.core.framework.ScorePlugin {
        static volatile boolean explode;

        @Override
        public String name() {
            return "Flaky";
        }

        @Override
        public boolean nodeLocal() {
            return true;
        }

        @Override
        public long score(io.qshard.core.framework.CycleState state, PodRequest pod, NodeState node) {
            if (explode) {
                throw new IllegalStateException("plugin bug");
            }
            return 50;
        }
    }

    @Test
    void aPluginThatThrowsLeavesNoHalfUpdatedWindow() {
        var registry = ShippedPlugins.registry().register("Flaky", ctx -> new Flaky());
        var config = new io.qshard.core.config.QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, Flaky]}]",
                        "t");
        SchedulingAlgorithm algo = new SchedulingAlgorithm(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()), NodesToScore.adaptive());
        DecisionReuse reuse = new DecisionReuse(algo, 15);
        ClusterSnapshot s = identical(200);
        PodRequest first = pod("p0", "prod", 500, 1).build();
        s = assume(s, first, reuse.schedule(s, first, 0).node());
        Flaky.explode = true;
        try {
            ClusterSnapshot changed = s;
            assertThatThrownBy(() ->
                            reuse.schedule(changed, pod("p1", "prod", 500, 1).build(), 1))
                    .hasMessage("plugin bug");
        } finally {
            Flaky.explode = false;
        }
        assertThat(reuse.window.valid).isFalse();
        PodRequest third = pod("p2", "prod", 500, 1).build();
        assertThat(reuse.schedule(s, third, 2)).isEqualTo(algo.schedule(s, third, 2));
        assertThat(reuse.fullDecisions()).isEqualTo(2); // p0 and p2 (p1 failed inside its reuse)
    }
}
