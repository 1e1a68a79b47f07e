package io.qshard.controllers.oversale;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.controllers.view.ClusterView;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.kube.api.OversaleRatio;
import io.qshard.shard.usage.UsageTracker;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link OversalePlan} on an opted-in node whose pods ask anything from 0 to {@link Long#MAX_VALUE}: the cycle never
 * throws, and the requests it weighs are the exact sums clamped at {@link Long#MAX_VALUE} — never wrapped below zero.
 */
class OversalePlanPropertyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final RatioPolicy POLICY = new RatioPolicy(2.0, 0.85, 0.1, Duration.ZERO);

    @Property(tries = 300)
    void requestsAreSummedWithoutWrapping(@ForAll("requests") List<Long> cpu, @ForAll("requests") List<Long> memory) {
        ClusterState cluster = new ClusterState();
        cluster.upsertNode(new Node(
                "n",
                Map.of(OversaleRatio.OPT_IN_LABEL, "true"),
                List.of(),
                new Resources(16_000, 64L << 30, 110, 0, 0),
                new Resources(16_000, 64L << 30, 110, 0, 0),
                false,
                Map.of(OversaleRatio.CPU_ANNOTATION, "1.5")));
        BigInteger cpuSum = BigInteger.ZERO;
        BigInteger memorySum = BigInteger.ZERO;
        for (int i = 0; i < Math.min(cpu.size(), memory.size()); i++) {
            cluster.upsertPod(pod("p" + i, cpu.get(i), memory.get(i)));
            cpuSum = cpuSum.add(BigInteger.valueOf(cpu.get(i)));
            memorySum = memorySum.add(BigInteger.valueOf(memory.get(i)));
        }
        List<OversalePlan.Facts> plan = OversalePlan.compute(state(cluster), POLICY, POLICY);
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).requested().milliCpu()).isEqualTo(clamp(cpuSum));
        assertThat(plan.get(0).requested().memoryBytes()).isEqualTo(clamp(memorySum));
    }

    @Example
    void twoPodsAskingMoreThanALongTogetherDoNotEndTheCycle() {
        // found by requestsAreSummedWithoutWrapping: two pods bound with cpu 1e18 (decoded as 9223372036854775807m)
        // wrapped the plan's Σ requests to -2m and new Usage(-2, …) threw "usage must be >= 0" — every oversale cycle
        // failed while they existed; memory 2 + 2 × 9223372036854775807 wrapped to exactly 0, an empty-looking node
        ClusterState cluster = new ClusterState();
        cluster.upsertNode(new Node(
                "n",
                Map.of(OversaleRatio.OPT_IN_LABEL, "true"),
                List.of(),
                new Resources(16_000, 64L << 30, 110, 0, 0),
                new Resources(16_000, 64L << 30, 110, 0, 0),
                false,
                Map.of()));
        cluster.upsertPod(pod("a", Long.MAX_VALUE, 2));
        cluster.upsertPod(pod("b", Long.MAX_VALUE, Long.MAX_VALUE));
        cluster.upsertPod(pod("c", 0, Long.MAX_VALUE));
        OversalePlan.Facts facts =
                OversalePlan.compute(state(cluster), POLICY, POLICY).get(0);
        assertThat(facts.requested().milliCpu()).isEqualTo(Long.MAX_VALUE);
        assertThat(facts.requested().memoryBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(facts.nextCpu())
                .as("the requests cover any ratio: nothing to raise")
                .isNull();
    }

    private static long clamp(BigInteger v) {
        return v.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    private static PodRequest pod(String uid, long cpu, long memory) {
        return new PodRequest(
                uid,
                "ns",
                uid,
                null,
                PoolRule.ALLOCATABLE,
                new Resources(cpu, memory, 1, 0, 0),
                Map.of(),
                null,
                List.of(),
                0,
                NOW,
                null,
                "n");
    }

    private static ClusterView.State state(ClusterState cluster) {
        UsageTracker usage = new UsageTracker(QshardConfig.defaults());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new ClusterView.State() {
            @Override
            public ClusterState cluster() {
                return cluster;
            }

            @Override
            public UsageTracker usage() {
                return usage;
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
    }

    @Provide
    Arbitrary<List<Long>> requests() {
        return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.longs().between(0, 1L << 40)),
                        Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE)),
                        Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE - 1000, Long.MAX_VALUE)))
                .list()
                .ofMaxSize(5);
    }
}
