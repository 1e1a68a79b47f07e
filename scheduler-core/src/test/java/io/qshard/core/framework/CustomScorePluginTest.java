package io.qshard.core.framework;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.model.PodRequest;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;

/** The README's recipe: one class, one registration, one config line — and the plugin drives decisions. */
class CustomScorePluginTest {

    /** Prefers nodes labelled {@code fast=true}. */
    static final class PreferFast implements ScorePlugin {
        static final String NAME = "PreferFast";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public long score(CycleState state, PodRequest pod, NodeState node) {
            return "true".equals(node.node().labels().get("fast")) ? MAX_SCORE : 0;
        }
    }

    @Test
    void aNewScorePluginIsOneClassAndOneConfigLine() {
        PluginRegistry registry = ShippedPlugins.registry().register(PreferFast.NAME, ctx -> new PreferFast());
        QshardConfig config = new QshardConfigLoader(registry).parse("""
                tiers:
                  - name: prod
                    plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, PreferFast]
                    weights: {PreferFast: 10}
                """, "qshard.yaml");
        SchedulingAlgorithm algo = new SchedulingAlgorithm(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()), NodesToScore.adaptive());
        // the slow node is emptier (LeastAllocated 100 vs 50, weight 1) but PreferFast adds 10 × 100
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("slow", 8000, 32).state())
                .with(node("fast", 8000, 32).label("fast", "true").state().reserve(pod("x", "prod", 4000, 16).build()));
        assertThat(algo.schedule(s, pod("p", "prod", 1, 0).build(), 0).node()).isEqualTo("fast");
    }
}
