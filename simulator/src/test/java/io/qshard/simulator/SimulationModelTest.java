package io.qshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.qshard.core.model.Node;
import io.qshard.core.model.OwnerRef;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.Usage;
import io.qshard.predict.backtest.Trace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's pure parts: per-pod utilisation, trace replay, and the figures of one node. */
class SimulationModelTest {
    private static final long GI = 1L << 30;

    private static PodRequest pod(String uid, String tier, PoolRule rule, Resources r) {
        return new PodRequest(
                uid,
                "ns",
                uid,
                tier,
                rule,
                r.withPods(1),
                Map.of(),
                null,
                List.of(),
                0,
                Instant.EPOCH,
                (OwnerRef) null,
                "n1");
    }

    @Test
    void utilisationIsDeterministicPerPodAndWithinBounds() {
        PodUtilisation u = new PodUtilisation(0.2, 0.6, 7);
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double x = u.of("uid-" + i);
            assertThat(x).isBetween(0.2, 0.6);
            sum += x;
        }
        assertThat(sum / 10_000).isCloseTo(0.4, within(0.01)); // uniform(0.2, 0.6) has mean 0.4
        assertThat(u.of("a")).isEqualTo(new PodUtilisation(0.2, 0.6, 7).of("a"));
        assertThat(u.of("a")).isNotEqualTo(new PodUtilisation(0.2, 0.6, 8).of("a"));
        assertThatThrownBy(() -> PodUtilisation.parse("lots", 1)).hasMessageContaining("LOW,HIGH");
        assertThatThrownBy(() -> new PodUtilisation(0.7, 0.6, 1)).hasMessageContaining("low");
    }

    @Test
    void tracesReplayAtTheSpeedUpAndWrapAround() {
        // samples at 0, 100, 200 s: 10 %, 50 %, 90 %; span 200 s
        Trace t = new Trace(
                "x-1", "x", new long[] {0, 100, 200}, new double[] {10, 50, 90}, new double[] {20, 20, Double.NaN});
        TraceLoad load = new TraceLoad(List.of(t), 10);
        assertThat(load.cpu(0, 0)).isEqualTo(0.10);
        assertThat(load.cpu(0, 5)).isEqualTo(0.10); // 50 trace-seconds: still the first sample
        assertThat(load.cpu(0, 10)).isEqualTo(0.50); // 100 trace-seconds
        assertThat(load.cpu(0, 25)).isEqualTo(0.10); // 250 → wraps to 50
        assertThat(load.memory(0, 10)).isEqualTo(0.20);
        assertThatThrownBy(() -> new TraceLoad(List.of(), 1)).hasMessageContaining("at least one trace");
    }

    @Test
    void nodeFiguresSpreadTheBackgroundOverProdAndModelTheRest() {
        Node n = Node.of("n1", Map.of(), List.of(), new Resources(10_000, 40 * GI, 110, 0, 0), false);
        NodeState state = NodeState.of(n)
                .reserve(pod("p1", "prod", PoolRule.ALLOCATABLE, Resources.of(6_000, 8 * GI)))
                .reserve(pod("p2", "prod", PoolRule.ALLOCATABLE, Resources.of(2_000, 8 * GI)))
                .reserve(pod("b1", "batch", PoolRule.BATCH_POOL, Resources.batch(1_000, GI)));
        PodUtilisation half = new PodUtilisation(0.5, 0.5, 1);
        NodeUsageFigures f = NodeUsageFigures.of(state, 0.2, 0.25, half);
        // prod: 20 % of 10000m = 2000m, 25 % of 40 Gi = 10 Gi; split 6000:2000 → 1500m / 500m, 8:8 → 5 Gi each
        assertThat(f.byTier().get("prod")).isEqualTo(new Usage(2_000, 10 * GI));
        assertThat(f.byPod().get("p1")).isEqualTo(new Usage(1_500, 5 * GI));
        assertThat(f.byPod().get("p2")).isEqualTo(new Usage(500, 5 * GI));
        // batch pod: request (batch resources) × 0.5 = 500m, 0.5 Gi
        assertThat(f.byTier().get("batch")).isEqualTo(new Usage(500, GI / 2));
        assertThat(f.node()).isEqualTo(new Usage(2_500, 10 * GI + GI / 2));
    }
}
