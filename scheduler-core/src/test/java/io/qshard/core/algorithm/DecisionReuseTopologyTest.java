package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.LabelSelector;
import io.qshard.core.model.PodAffinity;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.TopologySpreadConstraint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Equivalent-pod reuse with the topology plugins in the profile: pods that no topology rule concerns keep being reused
 * — until an outside pod's anti-affinity starts selecting them, or a Service does (then the default spread constraints
 * score them) — and every decision, reused or not, equals the full algorithm's on the same snapshot.
 */
class DecisionReuseTopologyTest {
    private static final String HOST = TopologySpreadConstraint.HOSTNAME_KEY;
    private static final String ZONE = TopologySpreadConstraint.ZONE_KEY;

    private final SchedulingAlgorithm prod = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());

    private static LabelSelector app(String app) {
        return LabelSelector.of(Map.of("app", app), List.of());
    }

    private static PodAffinity antiAffinity(String app, String key) {
        return new PodAffinity(
                List.of(), List.of(), List.of(new PodAffinityTerm(app(app), Set.of("ns"), null, key)), List.of());
    }

    /** Kinds of replica runs: 0 plain, 1 hostname anti-affinity, 2 zone spread DoNotSchedule, 3 both. */
    private static PodRequest replica(String uid, int kind, String app) {
        PodRequest p = pod(uid, "prod", 250, 1).build();
        PodAffinity a = kind == 1 || kind == 3 ? antiAffinity(app, HOST) : PodAffinity.NONE;
        List<TopologySpreadConstraint> spread =
                kind >= 2 ? List.of(TopologySpreadConstraint.of(1, ZONE, true, app(app))) : List.of();
        return p.withTopology(Map.of("app", app), a, spread);
    }

    @Test
    void everyDecisionEqualsTheFullOneAndOnlyUnconcernedPodsAreReused() {
        assertThat(prod.nodeLocal())
                .as("the topology plugins can step aside per pod")
                .isTrue();
        SplittableRandom random = new SplittableRandom(7);
        long decisions = 0;
        long reusedPlain = 0;
        long plain = 0;
        for (int cluster = 0; cluster < 4; cluster++) {
            ClusterState state = new ClusterState();
            int nodes = 120 + random.nextInt(200);
            int zones = 3 + random.nextInt(3);
            for (int i = 0; i < nodes; i++) {
                state.upsertNode(node("n" + i, 4000L << random.nextInt(3), 16)
                        .label(HOST, "n" + i)
                        .label(ZONE, "z" + i % zones)
                        .build());
            }
            DecisionReuse reuse = new DecisionReuse(prod, DecisionReuse.DEFAULT_MAX_REUSES);
            int uid = 0;
            boolean plainRepelled = false;
            boolean plainSelected = false;
            for (int run = 0; run < 25; run++) {
                int kind = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
                String appName = kind == 0 ? "plain" : "app" + run;
                int length = 1 + random.nextInt(20);
                for (int k = 0; k < length; k++) {
                    PodRequest pod = replica("p" + cluster + "-" + uid++, kind, appName);
                    ClusterSnapshot s = state.snapshot();
                    long seed = random.nextLong();
                    long reusedBefore = reuse.reusedDecisions();
                    int start = reuse.window.start;
                    ScheduleResult got = reuse.schedule(s, pod, seed);
                    boolean wasReused = reuse.reusedDecisions() > reusedBefore;
                    ScheduleResult want = wasReused
                            ? prod.decide(s, pod, seed, start, null, new CycleState())
                            : prod.schedule(s, pod, seed);
                    assertThat(got.node())
                            .as("decision %d (kind %d, reused %s)", decisions, kind, wasReused)
                            .isEqualTo(want.node());
                    assertThat(got.score()).isEqualTo(want.score());
                    assertThat(got.feasible()).isEqualTo(want.feasible());
                    if (kind != 0 || plainRepelled || plainSelected) {
                        assertThat(wasReused)
                                .as("a pod a topology rule concerns is decided in full")
                                .isFalse();
                    } else {
                        plain++;
                        reusedPlain += wasReused ? 1 : 0;
                    }
                    decisions++;
                    if (got.isPlaced()) {
                        state.assume(pod, got.node());
                    }
                    if (random.nextInt(5) == 0) { // someone else's labelled pod lands somewhere
                        state.upsertPod(pod("f" + uid++, "prod", 100, 1)
                                .foreign()
                                .build()
                                .withTopology(Map.of("app", "other"), PodAffinity.NONE, List.of())
                                .boundTo("n" + random.nextInt(nodes)));
                    }
                    if (!plainSelected
                            && random.nextInt(200) == 0) { // a Service now selects plain pods: defaults apply
                        plainSelected = true;
                        state.serviceSelector("ns", "ns/plain", Map.of("app", "plain"));
                    }
                    if (!plainRepelled && random.nextInt(150) == 0) { // from now on plain pods are repelled by a zone
                        plainRepelled = true;
                        state.upsertPod(pod("anti" + uid++, "prod", 100, 1)
                                .foreign()
                                .build()
                                .withTopology(Map.of("app", "guard"), antiAffinity("plain", ZONE), List.of())
                                .boundTo("n" + random.nextInt(nodes)));
                    }
                }
            }
        }
        // the reuse path must be exercised for the unconcerned pods, not only the fallback
        assertThat(plain).isGreaterThan(100);
        assertThat(reusedPlain).isGreaterThan(plain / 3);
    }
}
