package io.qshard.core.pool;

import static io.qshard.core.testing.Fixtures.GI;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes of real allocatable 10000m / 100Gi with 4000m / 20Gi batch advertised; defaults (peakCap 8500m / 90Gi,
 * margin 500m / 5Gi). Node a carries prod 6000m/60Gi, mid 1000m/10Gi, batch 500m/2Gi, free 200m/1Gi (as in
 * {@link NodeRoomTest}); node b is empty. No usage reports: usage = requests.
 */
class PoolTotalsTest {
    private static final NodeRoom ROOM = new NodeRoom(PoolConfig.defaults());

    static Stream<Arguments> totals() {
        return Stream.of(
                // prod: capacity 2 × 10000 = 20000m, 200Gi; requested = prod on a 6000m / 60Gi; usage the same;
                // room a = min(10000 − 6000, 10000 − 7000) = 3000m, min(40, 30) = 30Gi; b = 10000m, 100Gi → 13000m,
                // 130Gi
                Arguments.of(
                        PoolRule.ALLOCATABLE,
                        new PoolTotals(20_000, 200 * GI, 6000, 60 * GI, 6000, 60 * GI, 13_000, 130 * GI, 2)),
                // mid: capacity = reported allocatable 20000m / 200Gi; requested = all native on a 7000m / 70Gi; usage
                // mid 1000m / 10Gi;
                // room a = min(8500 − 6000 − 500 − 1000, 3000) = 1000m, min(90 − 60 − 5 − 10, 30) = 15Gi;
                //      b = min(8500 − 500, 10000) = 8000m, min(85, 100) = 85Gi → 9000m, 100Gi
                Arguments.of(
                        PoolRule.MID_POOL,
                        new PoolTotals(20_000, 200 * GI, 7000, 70 * GI, 1000, 10 * GI, 9000, 100 * GI, 2)),
                // batch: capacity = advertised 2 × 4000m / 20Gi; requested = batch + free on a 700m / 3Gi; usage batch
                // 500m / 2Gi;
                // room a = 500m / 13Gi (NodeRoomTest); b = min(8500 − 500, 4000) = 4000m, min(90 − 5, 20) = 20Gi →
                // 4500m, 33Gi
                Arguments.of(
                        PoolRule.BATCH_POOL, new PoolTotals(8000, 40 * GI, 700, 3 * GI, 500, 2 * GI, 4500, 33 * GI, 2)),
                // free: as batch but usage = free's 200m / 1Gi and room a = 300m / 12Gi → 4300m, 32Gi
                Arguments.of(
                        PoolRule.FREE_POOL, new PoolTotals(8000, 40 * GI, 700, 3 * GI, 200, GI, 4300, 32 * GI, 2)));
    }

    @ParameterizedTest
    @MethodSource("totals")
    void sumsEachTiersPoolOverTheSnapshot(PoolRule rule, PoolTotals expected) {
        ClusterSnapshot snapshot = ClusterSnapshot.empty()
                .with(node("a", 10_000, 100)
                        .batch(4000, 20)
                        .state()
                        .reserve(pod("p", "prod", 6000, 60).build())
                        .reserve(pod("m", "mid", 1000, 10).build())
                        .reserve(pod("b", "batch", 500, 2).build())
                        .reserve(pod("f", "free", 200, 1).build()))
                .with(node("b", 10_000, 100).batch(4000, 20).state());
        assertThat(PoolTotals.of(snapshot, rule, ROOM)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("totals")
    void anEmptySnapshotSumsToZero(PoolRule rule, PoolTotals ignored) {
        assertThat(PoolTotals.of(ClusterSnapshot.empty(), rule, ROOM))
                .isEqualTo(new PoolTotals(0, 0, 0, 0, 0, 0, 0, 0, 0));
    }
}
