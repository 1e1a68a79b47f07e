package io.qshard.core.replicas;

import static io.qshard.core.replicas.Fleet.GI;
import static io.qshard.core.replicas.Fleet.ROOM;
import static io.qshard.core.replicas.Fleet.u;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The net pools over four nodes of 10 cores / 100 Gi (peakCap 8500m / 90 Gi, margin 500m / 5 Gi), hysteresis 0.25:
 *
 * <pre>
 * a  usable, reported: prod uses 2000m/20Gi (predicted peak 3000m/20Gi), batch 1000m/10Gi, free 500m/5Gi
 *      mid   = 8500 − 3000 − 500 − 0            = 5000m   90 − 20 − 5 − 0       = 65Gi
 *      batch = 8500 − 3000 − 0 − 500 − 1000     = 4000m   90 − 20 − 0 − 5 − 10  = 55Gi
 *      free  = 4000 − 500                       = 3500m   55 − 5                = 50Gi
 * b  hot, same report as a: counts only its negative part → 0 everywhere
 * c  unschedulable, reported: prod 7000m/80Gi, batch 2000m/10Gi
 *      mid   = 8500 − 7000 − 500 = 1000m → 0 (positive, unusable); 90 − 80 − 5 = 5Gi → 0
 *      batch = 8500 − 7000 − 500 − 2000 = −1000m;  90 − 80 − 5 − 10 = −5Gi     (negative parts count)
 *      free  = −1000m − 0 = −1000m;  −5Gi
 * d  usable, no report (conservative: requests): prod requests 6000m/60Gi, a batch pod 1000m/10Gi (extended)
 *      mid   = 8500 − 6000 − 500 = 2000m;   90 − 60 − 5 = 25Gi
 *      batch = 8500 − 6000 − 500 − 1000 = 1000m;   90 − 60 − 5 − 10 = 15Gi
 *      free  = 1000m;  15Gi
 * N_mid   = 5000 + 2000 = 7000m;          65 + 25 = 90Gi
 * N_batch = 4000 − 1000 + 1000 = 4000m;   55 − 5 + 15 = 65Gi
 * N_free  = 3500 − 1000 + 1000 = 3500m;   50 − 5 + 15 = 60Gi
 * band    = 0.25 × (10000 + 10000) = 5000m;  0.25 × 200Gi = 50Gi   (usable a and d only)
 * </pre>
 */
class PoolBalanceTest {
    private static ClusterSnapshot fleet() {
        var report = Map.of("prod", u(2000, 20), "batch", u(1000, 10), "free", u(500, 5));
        var peaks = Map.of("prod", u(3000, 20));
        return new Fleet()
                .node(node("a", 10_000, 100).batch(10_000, 100))
                .node(node("b", 10_000, 100).batch(10_000, 100))
                .node(node("c", 10_000, 100).batch(10_000, 100).unschedulable())
                .node(node("d", 10_000, 100).batch(10_000, 100))
                .usage("a", report, peaks)
                .usage("b", report, peaks)
                .hot("b")
                .usage("c", Map.of("prod", u(7000, 80), "batch", u(2000, 10)), Map.of())
                .pod("d", pod("p", "prod", 6000, 60).build())
                .pod("d", pod("j", "batch", 1000, 10).build())
                .snapshot();
    }

    @Test
    void netPoolsCountUsableNodesAndTheDeficitsOfTheRest() {
        PoolBalance b = new PoolBalance(fleet(), ROOM, 0.25);
        assertThat(b.figures(PoolRule.MID_POOL)).isEqualTo(new PoolBalance.Figures(7000, 90 * GI, 5000, 50 * GI));
        assertThat(b.figures(PoolRule.BATCH_POOL)).isEqualTo(new PoolBalance.Figures(4000, 65 * GI, 5000, 50 * GI));
        assertThat(b.figures(PoolRule.FREE_POOL)).isEqualTo(new PoolBalance.Figures(3500, 60 * GI, 5000, 50 * GI));
        assertThat(b.net(PoolRule.BATCH_POOL, 0)).isEqualTo(4000);
        assertThat(b.band(1)).isEqualTo(50 * GI);
    }

    @Test
    void aHotNodeStopsCountingOnlyWhenItIsNotOver() {
        assertThat(PoolBalance.usable(fleet().node("b").orElseThrow())).isFalse();
        assertThat(PoolBalance.usable(fleet().node("c").orElseThrow())).isFalse();
        assertThat(PoolBalance.usable(fleet().node("a").orElseThrow())).isTrue();
    }

    @Test
    void placingAReplicaUpdatesTheNetPoolsAsARecountWould() {
        ClusterSnapshot s = fleet();
        PoolBalance b = new PoolBalance(s, ROOM, 0.25);
        NodeState before = s.node("a").orElseThrow();
        ClusterSnapshot after = s.withPod(pod("v", "batch", 1000, 4).build().boundTo("a"));
        b.replaced(before, after.node("a").orElseThrow());
        // a new batch replica counts at request × 1.0 on a: batch and free −1000m / −4Gi, mid unchanged
        assertThat(b.figures(PoolRule.BATCH_POOL)).isEqualTo(new PoolBalance.Figures(3000, 61 * GI, 5000, 50 * GI));
        assertThat(b.figures(PoolRule.FREE_POOL)).isEqualTo(new PoolBalance.Figures(2500, 56 * GI, 5000, 50 * GI));
        assertThat(b.figures(PoolRule.MID_POOL)).isEqualTo(new PoolBalance.Figures(7000, 90 * GI, 5000, 50 * GI));
        PoolBalance recount = new PoolBalance(after, ROOM, 0.25);
        for (PoolRule rule : new PoolRule[] {PoolRule.MID_POOL, PoolRule.BATCH_POOL, PoolRule.FREE_POOL}) {
            assertThat(b.figures(rule)).isEqualTo(recount.figures(rule));
        }
    }

    @Test
    void anEmptyClusterHasNoPoolAndNoBand() {
        PoolBalance b = new PoolBalance(ClusterSnapshot.empty(), ROOM, 0.02);
        assertThat(b.figures(PoolRule.BATCH_POOL)).isEqualTo(new PoolBalance.Figures(0, 0, 0, 0));
    }
}
