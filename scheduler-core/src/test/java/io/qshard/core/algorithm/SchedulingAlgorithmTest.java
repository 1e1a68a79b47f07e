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
import io.qshard.core.snapshot.NodeState;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {
    private final SchedulingAlgorithm prod = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());

    private static ClusterSnapshot identical(int n) {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < n; i++) {
            s = s.with(node("n" + i, 8000, 32).state());
        }
        return s;
    }

    @Test
    void choosesTheHighestScoringNode() {
        // n-busy has 6000m of 8000m requested; LeastAllocated and BalancedAllocation both prefer the empty node
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("n-busy", 8000, 32)
                        .state()
                        .reserve(pod("x", "prod", 6000, 4).build()))
                .with(node("n-empty", 8000, 32).state());
        for (long seed = 0; seed < 20; seed++) {
            assertThat(prod.schedule(s, pod("p", "prod", 1000, 4).build(), seed).node())
                    .isEqualTo("n-empty");
        }
    }

    @Test
    void decisionIsAFunctionOfSnapshotPodAndSeed() {
        ClusterSnapshot s = identical(300);
        PodRequest p = pod("p", "prod", 500, 1).build();
        SchedulingAlgorithm other = new SchedulingAlgorithm(
                Profile.build(DefaultTiers.named("prod"), ShippedPlugins.registry(), PluginContext.defaults()),
                NodesToScore.adaptive());
        for (long seed = 0; seed < 50; seed++) {
            assertThat(other.schedule(s, p, seed)).isEqualTo(prod.schedule(s, p, seed));
        }
    }

    @Test
    void tiesAreBrokenAcrossNodesBySeed() {
        ClusterSnapshot s = identical(50);
        PodRequest p = pod("p", "prod", 500, 1).build();
        Set<String> chosen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            chosen.add(prod.schedule(s, p, seed).node());
        }
        // 50 equally good nodes, 200 seeds: a fair choice hits most of them (expected ≈ 49)
        assertThat(chosen.size()).isGreaterThan(35);
    }

    @Test
    void pickBestChoosesOnlyAmongTheMaximaAndEachAboutEquallyOften() {
        long[] total = {5, 9, 9, 1, 9, 8};
        int[] hits = new int[total.length];
        for (long seed = 0; seed < 3000; seed++) {
            hits[SchedulingAlgorithm.pickBest(total, total.length, new java.util.SplittableRandom(seed))]++;
        }
        // three maxima (indexes 1, 2, 4), 3000 draws: 1000 each expected; ±150 is > 5 standard deviations (σ ≈ 26)
        assertThat(hits[0] + hits[3] + hits[5]).isZero();
        for (int k : new int[] {1, 2, 4}) {
            assertThat(hits[k]).isBetween(850, 1150);
        }
        assertThat(SchedulingAlgorithm.pickBest(new long[] {3, 7, 2}, 3, new java.util.SplittableRandom(1)))
                .isEqualTo(1);
        assertThat(SchedulingAlgorithm.pickBest(new long[] {3, 7, 9}, 2, new java.util.SplittableRandom(1)))
                .isEqualTo(1); // count bounds it
    }

    @Test
    void stopsFilteringOnceEnoughFeasibleNodesAreFound() {
        ScheduleResult r =
                prod.schedule(identical(1000), pod("p", "prod", 500, 1).build(), 7);
        // adaptive: 42% of 1000 = 420 feasible to find; every node fits, so exactly 420 are evaluated
        assertThat(r.feasible()).isEqualTo(420);
        assertThat(r.evaluated()).isEqualTo(420);
    }

    @Test
    void keepsLookingPastInfeasibleNodes() {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 1000; i++) {
            s = s.with(node("n" + i, i % 2 == 0 ? 100 : 8000, 32).state()); // even nodes too small
        }
        ScheduleResult r = prod.schedule(s, pod("p", "prod", 500, 1).build(), 3);
        assertThat(r.feasible()).isEqualTo(420);
        assertThat(r.evaluated()).isBetween(839, 841); // 420 feasible among alternating nodes
        assertThat(r.node()).matches(n -> Integer.parseInt(n.substring(1)) % 2 == 1, "an odd (big) node");
    }

    @Test
    void diagnosisAggregatesReasonsOverEveryNode() {
        ClusterSnapshot s = ClusterSnapshot.empty();
        for (int i = 0; i < 998; i++) {
            s = s.with(node("small" + i, 1000, 4).state());
        }
        s = s.with(node("gpu0", 64_000, 256)
                .taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE)
                .state());
        s = s.with(node("gpu1", 64_000, 256)
                .taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE)
                .state());
        ScheduleResult r = prod.schedule(s, pod("big", "prod", 4000, 8).build(), 1);
        assertThat(r.isPlaced()).isFalse();
        assertThat(r.evaluated()).isEqualTo(1000);
        assertThat(r.diagnosis().message())
                .isEqualTo(
                        "0/1000 nodes are available: 2 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate, "
                                + "998 Insufficient cpu, 998 Insufficient memory.");
        assertThat(r.diagnosis().unresolvable()).isFalse(); // the small nodes could free up
        assertThat(r.diagnosis().byNode()).hasSize(1000);
    }

    @Test
    void emptyShardSaysSo() {
        ScheduleResult r =
                prod.schedule(ClusterSnapshot.empty(), pod("p", "prod", 1, 0).build(), 0);
        assertThat(r.diagnosis().message()).isEqualTo("0/0 nodes are available: no nodes in this scheduler's shard.");
    }

    @Test
    void singleFeasibleNodeSkipsScoring() {
        NodeState only = node("only", 8000, 32).state();
        ClusterSnapshot s =
                ClusterSnapshot.empty().with(only).with(node("tiny", 10, 1).state());
        ScheduleResult r = prod.schedule(s, pod("p", "prod", 500, 1).build(), 0);
        assertThat(r.node()).isEqualTo("only");
        assertThat(r.feasible()).isEqualTo(1);
    }
}
