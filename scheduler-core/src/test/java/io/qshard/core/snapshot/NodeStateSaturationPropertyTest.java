package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.model.ScalarResources;
import io.qshard.core.testing.Extremes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A node's accounted requests under any sequence of reserve/unreserve of pods asking anything from 0 to
 * {@link Long#MAX_VALUE} (scalar resources included): always the exact sum over the pods present, clamped at
 * {@link Long#MAX_VALUE} — never wrapped around, and exact again once the pods that pushed it to the limit are gone;
 * a negative allocatable or request (which conversion refuses) counts as 0.
 */
class NodeStateSaturationPropertyTest {

    record Op(boolean reserve, int pod) {}

    @Property(tries = 500)
    void accountedRequestsAreTheClampedExactSum(@ForAll("pods") List<PodRequest> pods, @ForAll("ops") List<Op> ops) {
        NodeState state = node("n", 64_000, 256).batch(32_000, 128).state();
        Map<String, PodRequest> present = new LinkedHashMap<>();
        for (Op op : ops) {
            PodRequest p = pods.get(op.pod() % pods.size());
            if (op.reserve()) {
                state = state.reserve(p);
                present.putIfAbsent(p.uid(), p);
            } else {
                state = state.unreserve(p.uid());
                present.remove(p.uid());
            }
            List<PodRequest> here = new ArrayList<>(present.values());
            assertThat(state.requested().withScalars(ScalarResources.EMPTY)).isEqualTo(clampedSum(here, null));
            for (PoolRule rule : PoolRule.values()) {
                assertThat(state.requestedBy(rule)).isEqualTo(clampedSum(here, rule));
            }
            for (String name : List.of("ephemeral-storage", "nvidia.com/gpu")) {
                BigInteger sum = BigInteger.ZERO;
                for (PodRequest q : here) {
                    sum = sum.add(BigInteger.valueOf(q.requests().scalars().get(name)));
                }
                assertThat(state.requestedScalars().get(name)).isEqualTo(Extremes.clamp(sum));
            }
            assertThat(state.podCount()).isEqualTo(present.size());
        }
    }

    @Property(tries = 300)
    void negativeFiguresCountAsZero(
            @ForAll("signed") Resources allocatable, @ForAll("signedRequests") List<Resources> requests) {
        NodeState state = NodeState.of(io.qshard.core.model.Node.of("n", Map.of(), List.of(), allocatable, false));
        List<PodRequest> pods = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Resources r = requests.get(i);
            PodRequest p = Extremes.pod(
                    "p" + i,
                    "prod",
                    new Resources(r.milliCpu(), r.memoryBytes(), 1, r.batchMilliCpu(), r.batchMemoryBytes()));
            pods.add(p);
            state = state.reserve(p);
        }
        long[] given = {
            allocatable.milliCpu(),
            allocatable.memoryBytes(),
            allocatable.pods(),
            allocatable.batchMilliCpu(),
            allocatable.batchMemoryBytes()
        };
        Resources expected = clampedSum(
                pods.stream()
                        .map(p -> Extremes.pod(p.uid(), "prod", p.requests().max(Resources.ZERO.withPods(1))))
                        .toList(),
                null);
        for (int c = 0; c < 5; c++) {
            assertThat(state.allocatable(c)).isEqualTo(Math.max(0, given[c]));
            assertThat(state.requested(c)).isNotNegative();
        }
        assertThat(state.requested().withScalars(ScalarResources.EMPTY)).isEqualTo(expected);
    }

    private static Resources clampedSum(List<PodRequest> pods, PoolRule rule) {
        BigInteger[] sum = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
        for (PodRequest p : pods) {
            if (rule != null && p.poolRule() != rule) {
                continue;
            }
            Resources r = p.requests();
            long[] v = {r.milliCpu(), r.memoryBytes(), r.pods(), r.batchMilliCpu(), r.batchMemoryBytes()};
            for (int c = 0; c < 5; c++) {
                sum[c] = sum[c].add(BigInteger.valueOf(v[c]));
            }
        }
        return new Resources(
                Extremes.clamp(sum[0]),
                Extremes.clamp(sum[1]),
                Extremes.clamp(sum[2]),
                Extremes.clamp(sum[3]),
                Extremes.clamp(sum[4]));
    }

    @Provide
    Arbitrary<List<PodRequest>> pods() {
        Arbitrary<ScalarResources> scalars = Arbitraries.maps(
                        Arbitraries.of("ephemeral-storage", "nvidia.com/gpu"), Extremes.amounts())
                .ofMaxSize(2)
                .map(ScalarResources::of);
        return Combinators.combine(Extremes.anyPod(), scalars)
                .as((p, s) -> Extremes.pod(p.uid(), p.tier(), p.requests().withScalars(s)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(6)
                .uniqueElements(PodRequest::uid);
    }

    @Provide
    Arbitrary<Resources> signed() {
        Arbitrary<Long> a = Extremes.signedAmounts();
        return Combinators.combine(a, a, a, a, a).as(Resources::new);
    }

    @Provide
    Arbitrary<List<Resources>> signedRequests() {
        return signed().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.of(true, true, false),
                        Arbitraries.integers().between(0, 100))
                .as(Op::new)
                .list()
                .ofMaxSize(30);
    }
}
