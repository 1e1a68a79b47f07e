package io.qshard.core.pool;

import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.ClassUsage;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import io.qshard.core.usage.UsageView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pools on real usage: a node 80 % allocated to prod by requests but using 20 % lends the difference to the
 * lower tiers, placements between reports count at once, and a stale report takes it all back.
 */
class NodeRoomUsageTest {
    private static final long GI = 1L << 30;
    private static final PoolConfig CONFIG = PoolConfig.defaults(); // cpu target 0.85, margin 0.05, factor 1.0
    private static final Instant NOW = T0.plusSeconds(3600);
    private static final NodeRoom ROOM = new NodeRoom(CONFIG);

    /** 10 cores / 40 Gi, batch resources advertised generously; prod requests 8000m / 32 Gi. */
    private static NodeState busyByRequests() {
        return node("n1", 10_000, 40)
                .batch(10_000, 40)
                .state()
                .reserve(pod("p1", "prod", 8_000, 32).build());
    }

    private static ClassUsage figures(NodeState node, long prodCpuUsed) {
        UsageReport report = new UsageReport(
                "n1",
                NOW.minusSeconds(5),
                Duration.ofSeconds(10),
                new Usage(prodCpuUsed, 8 * GI),
                Map.of("prod", new Usage(prodCpuUsed, 8 * GI)),
                Map.of("p1", new Usage(prodCpuUsed, 8 * GI)));
        UsageView view = UsageView.of(node.pods(), report, NOW, CONFIG.estimates());
        return ClassUsage.of(
                view,
                tier -> switch (tier) {
                    case "mid" -> PoolRule.MID_POOL;
                    case "batch" -> PoolRule.BATCH_POOL;
                    case "free" -> PoolRule.FREE_POOL;
                    default -> PoolRule.ALLOCATABLE;
                },
                CONFIG.estimateFactor());
    }

    @Test
    void conservativeViewLeavesNoBatchRoomOnARequestFullNode() {
        // batch pool = peakCap 8500 − usage(prod) 8000 (requests) − usage(mid) 0 − margin 500 − usage(batch) 0 = 0
        assertThat(ROOM.room(PoolRule.BATCH_POOL, busyByRequests(), NodeState.BATCH_CPU))
                .isZero();
    }

    @Test
    void realUsageLendsTheUnusedRequestsToBatch() {
        NodeState n = busyByRequests();
        n = n.withUsage(figures(n, 2_000));
        // batch pool = 8500 − 2000 (prod's real usage) − 0 − 500 − 0 = 6000
        assertThat(ROOM.room(PoolRule.BATCH_POOL, n, NodeState.BATCH_CPU)).isEqualTo(6_000);
        // mid pool = 8500 − 2000 − 500 − 0 = 6000, but a kubelet admits only 10000 − 8000 native requests = 2000
        assertThat(ROOM.room(PoolRule.MID_POOL, n, NodeState.CPU)).isEqualTo(2_000);
        // prod stays static: real allocatable − prod requests = 2000
        assertThat(ROOM.room(PoolRule.ALLOCATABLE, n, NodeState.CPU)).isEqualTo(2_000);
    }

    @Test
    void placementsBetweenReportsCountAtOnceAndComeBackOut() {
        NodeState n = busyByRequests();
        n = n.withUsage(figures(n, 2_000));
        NodeState placed = n.reserve(pod("b1", "batch", 1_500, 4).build());
        // b1 is young: its estimate 1500m × 1.0 counts before any report: 6000 − 1500 = 4500; free sees it too
        assertThat(ROOM.room(PoolRule.BATCH_POOL, placed, NodeState.BATCH_CPU)).isEqualTo(4_500);
        assertThat(ROOM.room(PoolRule.FREE_POOL, placed, NodeState.BATCH_CPU)).isEqualTo(4_500);
        // idempotent per uid, and a forgotten placement gives its estimate back exactly
        assertThat(placed.reserve(pod("b1", "batch", 1_500, 4).build())).isSameAs(placed);
        assertThat(ROOM.room(PoolRule.BATCH_POOL, placed.unreserve("b1"), NodeState.BATCH_CPU))
                .isEqualTo(6_000);
    }

    @Test
    void poolsCountHigherTiersAtTheirPredictedPeakAndTheirOwnAtTheEstimates() {
        NodeState n = busyByRequests().reserve(pod("b1", "batch", 1_000, 2).build());
        UsageReport report = new UsageReport(
                "n1",
                NOW.minusSeconds(5),
                Duration.ofSeconds(10),
                new Usage(3_000, 10 * GI),
                Map.of("prod", new Usage(2_000, 8 * GI), "batch", new Usage(1_000, 2 * GI)),
                Map.of("p1", new Usage(2_000, 8 * GI), "b1", new Usage(1_000, 2 * GI)));
        UsageView view = UsageView.of(n.pods(), report, NOW, CONFIG.estimates())
                .withPredictedPeaks(Map.of("prod", new Usage(3_000, 8 * GI), "batch", new Usage(2_500, 2 * GI)));
        NodeState u = n.withUsage(ClassUsage.of(
                view, t -> "batch".equals(t) ? PoolRule.BATCH_POOL : PoolRule.ALLOCATABLE, CONFIG.estimateFactor()));
        // batch pool = 8500 − peak(prod) 3000 − peak(mid) 0 − 500 − usage(batch) 1000 (its pods' estimates, not the
        // batch tier's own predicted peak 2500: a filling tier would otherwise block itself) = 4000
        assertThat(ROOM.room(PoolRule.BATCH_POOL, u, NodeState.BATCH_CPU)).isEqualTo(4_000);
        // free pool = batch pool − usage(free) 0 = 4000
        assertThat(ROOM.room(PoolRule.FREE_POOL, u, NodeState.BATCH_CPU)).isEqualTo(4_000);
        // what the reporter advertises is the pool before batch: 8500 − 3000 − 0 − 500 = 5000
        assertThat(ROOM.batchPool(u).batchMilliCpu()).isEqualTo(5_000);
        assertThat(u.usageOf(PoolRule.ALLOCATABLE, 0)).isEqualTo(2_000);
        assertThat(u.peakUsageOf(PoolRule.ALLOCATABLE, 0)).isEqualTo(3_000);
    }

    @Test
    void aStaleReportFallsBackToRequests() {
        NodeState n = busyByRequests();
        n = n.withUsage(figures(n, 2_000)).withUsage(null);
        assertThat(ROOM.room(PoolRule.BATCH_POOL, n, NodeState.BATCH_CPU)).isZero();
    }

    @Test
    void batchPoolAdvertisedFollowsUsage() {
        NodeState n = busyByRequests();
        // what the simulator / node agent would advertise: 8500 − 2000 − 500 = 6000 cpu
        assertThat(ROOM.batchPool(n.withUsage(figures(n, 2_000))).batchMilliCpu())
                .isEqualTo(6_000);
        assertThat(ROOM.batchPool(n).batchMilliCpu()).isZero();
    }

    @Test
    void clusterStateCarriesUsageIntoTheSnapshot() {
        io.qshard.core.snapshot.ClusterState state = new io.qshard.core.snapshot.ClusterState();
        state.upsertNode(node("n1", 10_000, 40).batch(10_000, 40).build());
        state.upsertPod(pod("p1", "prod", 8_000, 32).build().boundTo("n1"));
        NodeState before = state.snapshot().node("n1").orElseThrow();
        UsageReport report = new UsageReport(
                "n1",
                NOW.minusSeconds(5),
                Duration.ofSeconds(10),
                new Usage(2_000, 8 * GI),
                Map.of("prod", new Usage(2_000, 8 * GI)),
                Map.of("p1", new Usage(2_000, 8 * GI)));
        state.setUsage(
                "n1", UsageView.of(before.pods(), report, NOW, CONFIG.estimates()), t -> PoolRule.ALLOCATABLE, 1.0);
        assertThat(ROOM.room(PoolRule.BATCH_POOL, state.snapshot().node("n1").orElseThrow(), NodeState.BATCH_CPU))
                .isEqualTo(6_000);
        state.setUsage("n1", null, t -> PoolRule.ALLOCATABLE, 1.0); // stale: back to requests
        assertThat(ROOM.room(PoolRule.BATCH_POOL, state.snapshot().node("n1").orElseThrow(), NodeState.BATCH_CPU))
                .isZero();
        state.setUsage("ghost", null, t -> PoolRule.ALLOCATABLE, 1.0); // unknown: ignored
    }
}
