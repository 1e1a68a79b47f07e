package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Extremes.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.ScorePlugin;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.complementary.ComplementaryProfile;
import io.qshard.core.plugins.hotspot.HotspotAvoidance;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.testing.Extremes;
import io.qshard.core.testing.Extremes.NodeSetup;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scorers that compute on requests, allocatable and usage — LeastAllocated, BalancedAllocation,
 * ComplementaryProfile, HotspotAvoidance — on nodes and pods with amounts anywhere from 0 to {@link Long#MAX_VALUE}
 * (and any hotspot probability, NaN and ±∞ included): every score is in [0, 100], {@code scoreAll} agrees with
 * {@code score}, LeastAllocated never rises as a node fills, and its integer division is kube's exact one wherever
 * kube's int64 arithmetic does not overflow.
 */
class ResourceScorersPropertyTest {
    private static final List<ScorePlugin> SCORERS =
            List.of(new LeastAllocated(), new BalancedAllocation(), new ComplementaryProfile(), new HotspotAvoidance());

    @Property(tries = 500)
    void everyScoreIsBetweenZeroAndOneHundred(
            @ForAll("nodes") NodeSetup setup,
            @ForAll("pods") PodRequest pod,
            @ForAll boolean hot,
            @ForAll("probabilities") double hotspot) {
        NodeState node = setup.state().withHeat(hot, hotspot);
        NodeState[] nodes = {node, NodeState.of(node.node())};
        for (ScorePlugin scorer : SCORERS) {
            long[] out = new long[nodes.length];
            scorer.scoreAll(new CycleState(), pod, nodes, nodes.length, out);
            for (int k = 0; k < nodes.length; k++) {
                long score = scorer.score(new CycleState(), pod, nodes[k]);
                assertThat(score).as("%s on %s", scorer.name(), setup).isBetween(0L, ScorePlugin.MAX_SCORE);
                assertThat(out[k]).as("%s scoreAll", scorer.name()).isEqualTo(score);
            }
        }
    }

    @Property(tries = 500)
    void leastAllocatedNeverRisesAsTheNodeFills(
            @ForAll("nodes") NodeSetup setup, @ForAll("pods") PodRequest placed, @ForAll("pods") PodRequest next) {
        LeastAllocated plugin = new LeastAllocated();
        NodeState before = setup.state();
        NodeState after = before.reserve(pod("placed-" + placed.uid(), placed.tier(), placed.requests()));
        assertThat(plugin.score(new CycleState(), next, after))
                .isLessThanOrEqualTo(plugin.score(new CycleState(), next, before));
    }

    @Property(tries = 2000)
    void leastRequestedScoreIsKubesIntegerDivision(
            @ForAll("amounts") long requested, @ForAll("amounts") long capacity) {
        long score = LeastAllocated.leastRequestedScore(requested, capacity, capacity > 0 ? 1.0 / capacity : 0);
        assertThat(score).isBetween(0L, ScorePlugin.MAX_SCORE);
        if (capacity <= 0 || requested > capacity) {
            assertThat(score).isZero();
            return;
        }
        long exact = BigInteger.valueOf(capacity - requested)
                .multiply(BigInteger.valueOf(ScorePlugin.MAX_SCORE))
                .divide(BigInteger.valueOf(capacity))
                .longValueExact();
        if (capacity <= Long.MAX_VALUE / ScorePlugin.MAX_SCORE) {
            assertThat(score).isEqualTo(exact);
        } else {
            assertThat(score).isBetween(exact - 1, exact + 1);
        }
    }

    @Example
    void aNodeBeyondInt64Over100ScoresWithinRange() {
        // found by everyScoreIsBetweenZeroAndOneHundred: capacity 9223372036854775807m (above 2^63 / 100) made
        // (capacity − requested) × 100 wrap, and an empty node scored -1 under LeastAllocated
        NodeState node = NodeState.of(
                Node.of("n", Map.of(), List.of(), new Resources(Long.MAX_VALUE, Long.MAX_VALUE, 110, 0, 0), false));
        PodRequest small = pod("p", "prod", Extremes.requests(io.qshard.core.model.PoolRule.ALLOCATABLE, 100, 1));
        assertThat(new LeastAllocated().score(new CycleState(), small, node)).isEqualTo(ScorePlugin.MAX_SCORE);
    }

    @Example
    void theIntegerCorrectionDoesNotOverflowJustBelowTheDoublePath() {
        // found by leastRequestedScoreIsKubesIntegerDivision: requested 0 of capacity 91320515216383919 (just below
        // 2^63 / 100) scored 101 — the correction's "(q + 1) × capacity" overflowed and looked small
        long capacity = 91_320_515_216_383_919L;
        assertThat(LeastAllocated.leastRequestedScore(0, capacity, 1.0 / capacity))
                .isEqualTo(ScorePlugin.MAX_SCORE);
    }

    @Example
    void podsAskingTheTopOfTheRangeOnAFullNodeScoreZero() {
        // Σ non-zero requests 9223372036854775807m plus the pod's 1000m wrapped negative: BalancedAllocation read a
        // negative fraction and LeastAllocated a nearly empty node
        NodeState node = NodeState.of(
                        Node.of("n", Map.of(), List.of(), new Resources(64_000, 1L << 38, 110, 0, 0), false))
                .reserve(pod(
                        "a", "prod", Extremes.requests(io.qshard.core.model.PoolRule.ALLOCATABLE, Long.MAX_VALUE, 1)));
        PodRequest next = pod("b", "prod", Extremes.requests(io.qshard.core.model.PoolRule.ALLOCATABLE, 1000, 1));
        assertThat(new LeastAllocated().score(new CycleState(), next, node)).isLessThanOrEqualTo(50);
        assertThat(new BalancedAllocation().score(new CycleState(), next, node)).isZero();
    }

    @Provide
    Arbitrary<NodeSetup> nodes() {
        return Extremes.nodes(4);
    }

    @Provide
    Arbitrary<PodRequest> pods() {
        return Extremes.anyPod();
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Extremes.amounts();
    }

    @Provide
    Arbitrary<Double> probabilities() {
        return Extremes.doubles();
    }
}
