package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A decision is a function of (snapshot, pod, seed) for every tier, the hotspot plugins on: they read the heat the
 * usage view published into the snapshot's node states, nothing live. The same inputs twice give the same decision,
 * and the heat a snapshot carries is what the decision obeys.
 */
class DecisionDeterminismTest {

    /** 300 nodes, about one in six hot, most with some hotspot probability. */
    private static ClusterSnapshot heated(SplittableRandom random) {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 300; i++) {
            NodeState n = node("n" + i, 8000, 32).batch(4000, 16).state();
            s = s.with(n.withHeat(random.nextInt(6) == 0, random.nextInt(4) == 0 ? 0 : random.nextDouble()));
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"prod", "mid", "batch", "free"})
    void theSameSnapshotAndPodGiveTheSameDecision(String tier) {
        SchedulingAlgorithm algo = DecisionReuseTest.withHotspots(tier);
        SplittableRandom random = new SplittableRandom(7);
        ClusterSnapshot s = heated(random);
        for (int i = 0; i < 200; i++) {
            PodRequest p = pod("p" + i, tier, 250L * (1 + random.nextInt(4)), 1).build();
            long seed = random.nextLong();
            ScheduleResult first = algo.schedule(s, p, seed);
            ScheduleResult second = algo.schedule(s, p, seed);
            assertThat(second).isEqualTo(first);
            assertThat(first.isPlaced()).isTrue();
            NodeState chosen = s.node(first.node()).orElseThrow();
            if (!"prod".equals(tier)) {
                assertThat(chosen.hot())
                        .as("a borrowing tier keeps off hot nodes")
                        .isFalse();
            }
            s = s.with(chosen.reserve(p.boundTo(first.node())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mid", "batch", "free"})
    void heatInTheSnapshotDecides(String tier) {
        SchedulingAlgorithm algo = DecisionReuseTest.withHotspots(tier);
        NodeState a = node("a", 8000, 32).batch(4000, 16).state();
        NodeState b = node("b", 8000, 32).batch(4000, 16).state();
        PodRequest p = pod("p", tier, 500, 1).build();
        // identical nodes; b predicted hot (p = 0.9): HotspotAvoidance scores a 100 and b 10
        assertThat(algo.schedule(ClusterSnapshot.empty().with(a).with(b.withHeat(false, 0.9)), p, 1)
                        .node())
                .isEqualTo("a");
        assertThat(algo.schedule(
                                ClusterSnapshot.empty()
                                        .with(a.withHeat(false, 0.9))
                                        .with(b),
                                p,
                                1)
                        .node())
                .isEqualTo("b");
        // a hot: filtered out whatever the scores
        ScheduleResult r =
                algo.schedule(ClusterSnapshot.empty().with(a.withHeat(true, 0)).with(b.withHeat(false, 0.9)), p, 1);
        assertThat(r.node()).isEqualTo("b");
        assertThat(r.feasible()).isEqualTo(1);
    }
}
