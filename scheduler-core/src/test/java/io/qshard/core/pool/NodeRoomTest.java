package io.qshard.core.pool;

import static io.qshard.core.testing.Fixtures.GI;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.api.Test;

/**
 * Node: real allocatable 10000m / 100Gi, batch advertised 4000m / 20Gi; defaults: target 0.85 cpu / 0.90
 * memory, margin 0.05 each → peakCap 8500m / 90Gi, margin 500m / 5Gi.
 * Pods: prod 6000m/60Gi, mid 1000m/10Gi, batch 500m/2Gi, free 200m/1Gi.
 */
class NodeRoomTest {
    private final NodeRoom room = new NodeRoom(PoolConfig.defaults());

    private NodeState loaded(boolean oversold) {
        var b = node("n", 10_000, 100).batch(4000, 20);
        if (oversold) {
            b.oversold(1.5);
        }
        return b.state()
                .reserve(pod("p", "prod", 6000, 60).build())
                .reserve(pod("m", "mid", 1000, 10).build())
                .reserve(pod("b", "batch", 500, 2).build())
                .reserve(pod("f", "free", 200, 1).build());
    }

    @Test
    void prodRoomIsRealAllocatableMinusProdAndWhatAKubeletAdmits() {
        Resources r = room.roomFor(PoolRule.ALLOCATABLE, loaded(false));
        // cpu: min(10000 − 6000, 10000 − (6000 + 1000)) = min(4000, 3000) = 3000 — mid's native requests count at the
        // kubelet
        // mem: min(100 − 60, 100 − 70) = 30Gi; pods: 110 − 4 = 106
        assertThat(r.milliCpu()).isEqualTo(3000);
        assertThat(r.memoryBytes()).isEqualTo(30 * GI);
        assertThat(r.pods()).isEqualTo(106);
    }

    @Test
    void prodOnAnOversoldNodeIsBoundByRealAllocatable() {
        Resources r = room.roomFor(PoolRule.ALLOCATABLE, loaded(true));
        // reported 15000m / 150Gi; cpu: min(10000 − 6000, 15000 − 7000) = 4000; mem: min(40, 80) = 40Gi
        assertThat(r.milliCpu()).isEqualTo(4000);
        assertThat(r.memoryBytes()).isEqualTo(40 * GI);
    }

    @Test
    void midRoomIsTheMidPoolCappedByAdmission() {
        Resources r = room.roomFor(PoolRule.MID_POOL, loaded(false));
        // pool cpu: 8500 − 6000 − 500 − 1000 = 1000; admission 3000 → 1000
        // pool mem: 90 − 60 − 5 − 10 = 15Gi; admission 30Gi → 15Gi
        assertThat(r.milliCpu()).isEqualTo(1000);
        assertThat(r.memoryBytes()).isEqualTo(15 * GI);
    }

    @Test
    void batchRoomIsTheBatchPoolCappedByAdvertisedBatchResources() {
        Resources r = room.roomFor(PoolRule.BATCH_POOL, loaded(false));
        // pool cpu: 8500 − 6000 − 1000 − 500 − 500(batch) = 500; admission 4000 − (500 + 200) = 3300 → 500
        // pool mem: 90 − 60 − 10 − 5 − 2 = 13Gi; admission 20 − 3 = 17Gi → 13Gi
        assertThat(r.batchMilliCpu()).isEqualTo(500);
        assertThat(r.batchMemoryBytes()).isEqualTo(13 * GI);
    }

    @Test
    void freeRoomIsWhatTheBatchPoolLeaves() {
        Resources r = room.roomFor(PoolRule.FREE_POOL, loaded(false));
        // batch pool 500m / 13Gi minus free's own 200m / 1Gi = 300m / 12Gi (admission 3300m / 17Gi is looser)
        assertThat(r.batchMilliCpu()).isEqualTo(300);
        assertThat(r.batchMemoryBytes()).isEqualTo(12 * GI);
    }

    @Test
    void batchPoolToAdvertiseNeverGoesNegative() {
        // pool cpu: 8500 − 6000 − 1000 − 500 = 1000 (batch pods are not subtracted: they are what it admits)
        assertThat(room.batchPool(loaded(false))).isEqualTo(Resources.batch(1000, 15 * GI));
        NodeState full =
                node("n", 1000, 1).state().reserve(pod("p", "prod", 1000, 1).build());
        assertThat(room.batchPool(full)).isEqualTo(Resources.batch(0, 0));
    }

    @Test
    void poolIsRoomWithoutWhatAKubeletAdmits() {
        NodeState n = loaded(false);
        // prod: 10000 − 6000 = 4000m, 100 − 60 = 40Gi (room is 3000m / 30Gi: the kubelet counts mid's requests too)
        assertThat(room.pool(PoolRule.ALLOCATABLE, n, NodeState.CPU)).isEqualTo(4000);
        assertThat(room.pool(PoolRule.ALLOCATABLE, n, NodeState.MEMORY)).isEqualTo(40 * GI);
        // mid: 8500 − 6000 − 500 − 1000 = 1000m; 90 − 60 − 5 − 10 = 15Gi (as room: the admission is looser)
        assertThat(room.pool(PoolRule.MID_POOL, n, NodeState.CPU)).isEqualTo(1000);
        assertThat(room.pool(PoolRule.MID_POOL, n, NodeState.MEMORY)).isEqualTo(15 * GI);
        // batch: 500m / 13Gi, free: 300m / 12Gi, as in the room tests above
        assertThat(room.pool(PoolRule.BATCH_POOL, n, NodeState.CPU)).isEqualTo(500);
        assertThat(room.pool(PoolRule.BATCH_POOL, n, NodeState.MEMORY)).isEqualTo(13 * GI);
        assertThat(room.pool(PoolRule.FREE_POOL, n, NodeState.CPU)).isEqualTo(300);
        assertThat(room.pool(PoolRule.FREE_POOL, n, NodeState.MEMORY)).isEqualTo(12 * GI);
    }

    @Test
    void poolIgnoresATightAdvertisementAndGoesNegativeWhenOver() {
        // batch advertised 600m: room = min(pool 500, 600 − (500 + 200)) = −100; the pool stays 500
        NodeState tight = node("n", 10_000, 100)
                .batch(600, 20)
                .state()
                .reserve(pod("p", "prod", 6000, 60).build())
                .reserve(pod("m", "mid", 1000, 10).build())
                .reserve(pod("b", "batch", 500, 2).build())
                .reserve(pod("f", "free", 200, 1).build());
        assertThat(room.room(PoolRule.BATCH_POOL, tight, NodeState.BATCH_CPU)).isEqualTo(-100);
        assertThat(room.pool(PoolRule.BATCH_POOL, tight, NodeState.CPU)).isEqualTo(500);
        // another batch pod of 2000m: pool 8500 − 6000 − 1000 − 500 − 2500 = −1500; free −1500 − 200 = −1700
        NodeState over = tight.reserve(pod("b2", "batch", 2000, 2).build());
        assertThat(room.pool(PoolRule.BATCH_POOL, over, NodeState.CPU)).isEqualTo(-1500);
        assertThat(room.pool(PoolRule.FREE_POOL, over, NodeState.CPU)).isEqualTo(-1700);
    }
}
