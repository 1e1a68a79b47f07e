package io.qshard.core.algorithm;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.Profile;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmExplainTest {
    private final SchedulingAlgorithm prod = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());

    @Test
    void ranksEveryFeasibleNodeWithThePluginScoresScheduleUses() {
        // n-busy has 6000m of 8000m requested, n-half 4000m, n-empty none: every scorer prefers emptier nodes
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("n-busy", 8000, 32)
                        .state()
                        .reserve(pod("x", "prod", 6000, 4).build()))
                .with(node("n-half", 8000, 32)
                        .state()
                        .reserve(pod("y", "prod", 4000, 4).build()))
                .with(node("n-empty", 8000, 32).state())
                .with(node("n-tiny", 100, 1).state());
        PodRequest p = pod("p", "prod", 1000, 4).build();
        Explanation e = prod.explain(s, p);
        ScheduleResult r = prod.schedule(s, p, 0);

        assertThat(e.ranked()).extracting(Explanation.NodeScore::node).containsExactly("n-empty", "n-half", "n-busy");
        assertThat(e.ranked().get(0).node()).isEqualTo(r.node());
        assertThat(e.ranked().get(0).total()).isEqualTo(r.score()); // same arithmetic as the decision
        assertThat(e.plugins())
                .containsExactly(
                        "TaintToleration",
                        "NodeAffinity",
                        "PodTopologySpread",
                        "InterPodAffinity",
                        "LeastAllocated",
                        "BalancedAllocation",
                        "ComplementaryProfile",
                        "ImageLocality");
        for (Explanation.NodeScore n : e.ranked()) {
            long total = 0;
            for (int j = 0; j < e.plugins().size(); j++) {
                long v = n.scores().get(e.plugins().get(j));
                assertThat(v).isBetween(-1L, 100L); // -1: skipped by its PreScore (no preferences to score)
                total += v < 0 ? 0 : e.weights().get(j) * v;
            }
            assertThat(n.total()).isEqualTo(total);
        }
        assertThat(e.rankOf("n-half")).isEqualTo(2);
        assertThat(e.rankOf("n-tiny")).isZero();
        assertThat(e.diagnosis().byNode()).containsOnlyKeys("n-tiny");
    }

    @Test
    void anUnschedulablePodGetsTheSameMessageAsFailedScheduling() {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 10; i++) {
            s = s.with(node("small" + i, 1000, 4).state());
        }
        s = s.with(node("gpu0", 64_000, 256)
                .taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE)
                .state());
        PodRequest big = pod("big", "prod", 4000, 8).build();
        Explanation e = prod.explain(s, big);
        assertThat(e.feasible()).isFalse();
        assertThat(e.diagnosis().message())
                .isEqualTo(prod.schedule(s, big, 5).diagnosis().message())
                .isEqualTo(
                        "0/11 nodes are available: 1 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, "
                                + "10 Insufficient cpu, 10 Insufficient memory.");
    }

    @Test
    void looksAtEveryNodeWhereScheduleWouldStopEarly() {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 1000; i++) {
            s = s.with(node("n" + i, 8000, 32).state());
        }
        // schedule stops at 420 feasible nodes (adaptive 42 %); explain ranks all 1000
        assertThat(prod.explain(s, pod("p", "prod", 500, 1).build()).ranked()).hasSize(1000);
    }
}
