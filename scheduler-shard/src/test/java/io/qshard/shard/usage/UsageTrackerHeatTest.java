package io.qshard.shard.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.PredictionConfig;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.ClusterState;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The usage view publishes its verdicts into the snapshot: plugins read a node's heat from its {@link NodeState}, never
 * from a live side channel, so a decision is a function of (snapshot, pod).
 */
class UsageTrackerHeatTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long GI = 1L << 30;

    private static ClusterState oneNode() {
        ClusterState state = new ClusterState();
        state.upsertNode(Node.of("n1", Map.of(), List.of(), new Resources(8_000, 32 * GI, 110, 0, 0), false));
        return state;
    }

    /** A report of the node at {@code percent} cpu, {@code seconds} after T0. */
    private static UsageReport report(long seconds, int percent) {
        return new UsageReport(
                "n1",
                T0.plusSeconds(seconds),
                Duration.ofSeconds(10),
                new Usage(8_000L * percent / 100, 8 * GI),
                Map.of(),
                Map.of());
    }

    private static NodeState n1(ClusterState state) {
        return state.snapshot().node("n1").orElseThrow();
    }

    @Test
    void theHotNodeRuleIsPublishedIntoTheNodesStateAndTakenBackWhenTheReportGoesStale() {
        // predictions off: only the rule's own "hotReports (3) reports above hotThreshold (90 %)" can make n1 hot
        UsageTracker tracker = new UsageTracker(QshardConfig.defaults()
                .withPredictions(PredictionConfig.defaults().withEnabled(false)));
        ClusterState state = oneNode();
        tracker.reported(report(0, 95), state, T0);
        tracker.reported(report(10, 95), state, T0.plusSeconds(10));
        assertThat(n1(state).hot()).as("two reports above the threshold").isFalse();
        tracker.reported(report(20, 95), state, T0.plusSeconds(20));
        assertThat(n1(state).hot()).as("the third").isTrue();

        // staleAfter is 60 s: at T0 + 81 s the last report (T0 + 20 s) is stale, the node back on the conservative view
        assertThat(tracker.expire(state, T0.plusSeconds(81))).isEqualTo(1);
        assertThat(n1(state).hot()).isFalse();
    }

    @Test
    void theHotspotProbabilityIsPublishedWithEachReport() {
        UsageTracker tracker = new UsageTracker(QshardConfig.defaults());
        ClusterState state = oneNode();
        assertThat(n1(state).hotspotProbability()).isZero();
        for (long t = 0; t <= 6 * 3600; t += 60) { // six hours at 95 % cpu, above the 80 % hotspot threshold
            tracker.reported(report(t, 95), state, T0.plusSeconds(t));
        }
        assertThat(n1(state).hotspotProbability()).isGreaterThan(0.5);
        assertThat(n1(state).hot()).isTrue();

        tracker.removed("n1", state); // its NodeUsage was deleted: nothing known about it any more
        assertThat(n1(state).hotspotProbability()).isZero();
        assertThat(n1(state).hot()).isFalse();
    }

    @Test
    void anUnchangedVerdictKeepsTheNodeStateSoDecisionReuseKeepsItsWindow() {
        UsageTracker tracker = new UsageTracker(QshardConfig.defaults()
                .withPredictions(PredictionConfig.defaults().withEnabled(false)));
        ClusterState state = oneNode();
        tracker.reported(report(0, 20), state, T0);
        NodeState before = n1(state);
        state.setHeat("n1", before.hot(), before.hotspotProbability());
        assertThat(n1(state)).isSameAs(before);
    }
}
