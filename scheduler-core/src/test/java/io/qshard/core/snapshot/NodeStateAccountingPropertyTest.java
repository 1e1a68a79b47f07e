package io.qshard.core.snapshot;

import static io.qshard.core.testing.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * No sequence of reserve/unreserve — repeats, unknown uids, pods of every class — leaves a node's accounted
 * requests negative, above what was reserved, or different from the sum over the pods present.
 */
class NodeStateAccountingPropertyTest {
    private static final String[] TIERS = {"prod", "mid", "batch", "free"};

    record Op(boolean reserve, int pod) {}

    @Property(tries = 500)
    void accountedRequestsAreExactlyThePodsPresent(@ForAll("pods") List<PodRequest> pods, @ForAll("ops") List<Op> ops) {
        NodeState state = node("n", 64_000, 256).batch(32_000, 128).state();
        Set<String> present = new HashSet<>();
        Map<String, PodRequest> byUid = new HashMap<>();
        pods.forEach(p -> byUid.put(p.uid(), p));
        Resources everReserved = Resources.ZERO;
        Set<String> counted = new HashSet<>();
        for (Op op : ops) {
            PodRequest p = pods.get(op.pod() % pods.size());
            if (op.reserve()) {
                state = state.reserve(p);
                present.add(p.uid());
                if (counted.add(p.uid())) {
                    everReserved = everReserved.plus(p.requests());
                }
            } else {
                state = state.unreserve(p.uid());
                present.remove(p.uid());
            }
            Resources expected = Resources.ZERO;
            Resources[] byClass = new Resources[PoolRule.values().length];
            java.util.Arrays.fill(byClass, Resources.ZERO);
            for (String uid : present) {
                PodRequest q = byUid.get(uid);
                expected = expected.plus(q.requests());
                byClass[q.poolRule().ordinal()] = byClass[q.poolRule().ordinal()].plus(q.requests());
            }
            assertThat(state.requested()).isEqualTo(expected);
            assertThat(state.requested().isNonNegative()).isTrue();
            assertThat(state.requested().fitsIn(everReserved)).isTrue();
            assertThat(state.podCount()).isEqualTo(present.size());
            for (PoolRule r : PoolRule.values()) {
                assertThat(state.requestedBy(r)).isEqualTo(byClass[r.ordinal()]);
            }
        }
    }

    @Provide
    Arbitrary<List<PodRequest>> pods() {
        Arbitrary<PodRequest> pod = Combinators.combine(
                        Arbitraries.strings().alpha().ofLength(6),
                        Arbitraries.of(TIERS),
                        Arbitraries.longs().between(0, 8_000),
                        Arbitraries.longs().between(0, 64L << 30))
                .as((uid, tier, cpu, mem) -> {
                    PoolRule rule = DefaultTiers.named(tier).poolRule();
                    Resources req = rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED
                            ? new Resources(0, 0, 1, cpu, mem)
                            : new Resources(cpu, mem, 1, 0, 0);
                    return new PodRequest(
                            uid,
                            "ns",
                            uid,
                            tier,
                            rule,
                            req,
                            Map.of(),
                            null,
                            List.of(),
                            0,
                            io.qshard.core.testing.Fixtures.T0,
                            null,
                            null);
                });
        return pod.list().ofMinSize(1).ofMaxSize(12).uniqueElements(PodRequest::uid);
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.of(true, false), Arbitraries.integers().between(0, 100))
                .as(Op::new)
                .list()
                .ofMaxSize(60);
    }
}
