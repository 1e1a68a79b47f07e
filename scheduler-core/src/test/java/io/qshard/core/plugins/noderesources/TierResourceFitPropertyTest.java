package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Extremes.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.testing.Extremes;
import io.qshard.core.testing.Extremes.NodeSetup;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link TierResourceFit} on nodes and pods with amounts anywhere from 0 to {@link Long#MAX_VALUE}: no exception, and
 * fit is monotone — where a pod fits, the same pod asking less (any component, any share, scalar resources included)
 * fits too — and a scalar resource (ephemeral-storage, extended resources) fits exactly when the exact sum of what is
 * asked and what is bound, saturated at {@link Long#MAX_VALUE}, stays within allocatable.
 */
class TierResourceFitPropertyTest {
    private final TierResourceFit fit = new TierResourceFit(new NodeRoom(PoolConfig.defaults()));

    @Property(tries = 500)
    void aSmallerPodFitsWhereALargerOneDoes(
            @ForAll("nodes") NodeSetup setup,
            @ForAll("pods") PodRequest pod,
            @ForAll("shares") double cpuShare,
            @ForAll("shares") double memoryShare,
            @ForAll("amounts") long ephemeral,
            @ForAll("amounts") long allocatableEphemeral) {
        var node = setup.state();
        Resources r = pod.requests().withScalars(ScalarResources.of("ephemeral-storage", ephemeral));
        PodRequest larger = pod(pod.uid(), pod.tier(), r);
        Resources less = new Resources(
                        (long) (r.milliCpu() * cpuShare),
                        (long) (r.memoryBytes() * memoryShare),
                        1,
                        (long) (r.batchMilliCpu() * cpuShare),
                        (long) (r.batchMemoryBytes() * memoryShare))
                .withScalars(ScalarResources.of("ephemeral-storage", (long) (ephemeral * cpuShare)));
        PodRequest smaller = pod(pod.uid(), pod.tier(), less);
        var withStorage = node.withNode(new Node(
                "n",
                Map.of(),
                List.of(),
                setup.allocatable().withScalars(ScalarResources.of("ephemeral-storage", allocatableEphemeral)),
                setup.real(),
                false));
        for (var n : List.of(node, withStorage)) {
            Status big = fit.filter(new CycleState(), larger, n);
            Status small = fit.filter(new CycleState(), smaller, n);
            if (big.isSuccess()) {
                assertThat(small.isSuccess())
                        .as("%s fits but %s does not: %s", larger.requests(), smaller.requests(), small)
                        .isTrue();
            }
        }
    }

    @Property(tries = 500)
    void aPodAskingMoreOfAScalarResourceThanIsLeftDoesNotFit(
            @ForAll("amounts") long allocatable,
            @ForAll("amounts") long first,
            @ForAll("amounts") long second,
            @ForAll("amounts") long asked,
            @ForAll("tiers") String tier) {
        Resources node = new Resources(64_000, 1L << 38, 110, 64_000, 1L << 38)
                .withScalars(
                        ScalarResources.of(Map.of("ephemeral-storage", allocatable, "nvidia.com/gpu", allocatable)));
        var state = NodeState.of(Node.of("n", Map.of(), List.of(), node, false))
                .reserve(withScalars(pod("a", tier, Extremes.requests(rule(tier), 1, 1)), first)
                        .boundTo("n"))
                .reserve(withScalars(pod("b", tier, Extremes.requests(rule(tier), 1, 1)), second)
                        .boundTo("n"));
        PodRequest p = withScalars(pod("p", tier, Extremes.requests(rule(tier), 1, 1)), asked);
        BigInteger wanted =
                BigInteger.valueOf(first).add(BigInteger.valueOf(second)).add(BigInteger.valueOf(asked));
        Status status = fit.filter(new CycleState(), p, state);
        if (Extremes.clamp(wanted) > allocatable) { // saturated: allocatable Long.MAX_VALUE holds anything
            assertThat(status.isSuccess())
                    .as("%s + %s + %s of %s", first, second, asked, allocatable)
                    .isFalse();
            assertThat(status.reasons()).contains("Insufficient ephemeral-storage", "Insufficient nvidia.com/gpu");
        } else {
            assertThat(status.isSuccess())
                    .as("%s + %s + %s of %s", first, second, asked, allocatable)
                    .isTrue();
        }
    }

    @Example
    void aScalarRequestOnTopOfASaturatedSumDoesNotFit() {
        // found by aPodAskingMoreOfAScalarResourceThanIsLeftDoesNotFit: a pod bound with ephemeral-storage 10Ei
        // (9223372036854775807 as served) plus a pod asking 1 byte: "asked + requested" wrapped negative and the pod
        // fitted a node with 100 GiB
        Resources node = new Resources(64_000, 1L << 38, 110, 0, 0)
                .withScalars(ScalarResources.of("ephemeral-storage", 100L << 30));
        var state = NodeState.of(Node.of("n", Map.of(), List.of(), node, false))
                .reserve(withScalars(pod("a", "prod", Extremes.requests(rule("prod"), 1, 1)), Long.MAX_VALUE));
        PodRequest p = withScalars(pod("p", "prod", Extremes.requests(rule("prod"), 1, 1)), 1);
        assertThat(fit.filter(new CycleState(), p, state).reasons()).contains("Insufficient ephemeral-storage");
    }

    private static PoolRule rule(String tier) {
        return Extremes.classOf(tier);
    }

    private static PodRequest withScalars(PodRequest p, long amount) {
        return pod(
                p.uid(),
                p.tier(),
                p.requests()
                        .withScalars(
                                ScalarResources.of(Map.of("ephemeral-storage", amount, "nvidia.com/gpu", amount))));
    }

    @Provide
    Arbitrary<String> tiers() {
        return Arbitraries.of("prod", "mid", "batch", "free");
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
    Arbitrary<Double> shares() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0));
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Extremes.amounts();
    }
}
