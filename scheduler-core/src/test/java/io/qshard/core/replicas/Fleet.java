package io.qshard.core.replicas;

import io.qshard.core.config.DefaultTiers;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.testing.Fixtures.NodeBuilder;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageView;
import java.util.Map;

/**
 * A hand-built cluster for the replica tests: nodes, bound pods, and per-node usage figures (tier → usage, and the
 * predicted peaks) as a fresh report would give them. Pool config defaults: cpu target 0.85, margin 0.05; memory target
 * 0.90, margin 0.05; estimate factor 1.0.
 */
final class Fleet {
    static final long GI = 1L << 30;
    static final PoolConfig POOLS = PoolConfig.defaults();
    static final NodeRoom ROOM = new NodeRoom(POOLS);

    private final ClusterState state = new ClusterState();

    Fleet node(NodeBuilder b) {
        state.upsertNode(b.build());
        return this;
    }

    Fleet pod(String node, PodRequest pod) {
        state.upsertPod(pod.boundTo(node));
        return this;
    }

    /** A fresh report on {@code node}: usage per tier, and the predicted peaks per tier (may be empty). */
    Fleet usage(String node, Map<String, Usage> byTier, Map<String, Usage> peaks) {
        state.setUsage(
                node, new UsageView(false, byTier).withPredictedPeaks(peaks), Fleet::classOf, POOLS.estimateFactor());
        return this;
    }

    Fleet hot(String node) {
        state.setHeat(node, true, 1.0);
        return this;
    }

    ClusterSnapshot snapshot() {
        return state.snapshot();
    }

    static PoolRule classOf(String tier) {
        return switch (tier) {
            case DefaultTiers.PROD, DefaultTiers.MID, DefaultTiers.BATCH, DefaultTiers.FREE ->
                DefaultTiers.named(tier).poolRule();
            default -> PoolRule.ALLOCATABLE;
        };
    }

    /** cpu milli-cores and memory GiB. */
    static Usage u(long milliCpu, long memGi) {
        return new Usage(milliCpu, memGi * GI);
    }
}
