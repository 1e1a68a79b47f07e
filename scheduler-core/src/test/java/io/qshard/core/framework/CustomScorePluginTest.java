package io.qshard.core.framework;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.config.QshardConfigLoader;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** The README's recipe: one class, one registration, one config line — and the plugin drives decisions. */
class CustomScorePluginTest {

    @Test
    void aNewScorePluginIsOneClassAndOneConfigLine() {
        PluginRegistry registry = ShippedPlugins.registry(); // nothing registered: the config names the class
        QshardConfig config = new QshardConfigLoader(registry).parse("""
                tiers:
                  - name: prod
                    plugins: [NodeUnschedulable, TierResourceFit, LeastAllocated, io.qshard.core.framework.PreferFast]
                    weights: {io.qshard.core.framework.PreferFast: 10}
                """, "qshard.yaml");
        SchedulingAlgorithm algo = new SchedulingAlgorithm(
                Profile.build(config.tier("prod"), registry, PluginContext.defaults()), NodesToScore.adaptive());
        // the slow node is emptier (LeastAllocated 100 vs 50, weight 1) but PreferFast adds 10 × 100
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("slow", 8000, 32).state())
                .with(node("fast", 8000, 32)
                        .label("fast", "true")
                        .state()
                        .reserve(pod("x", "prod", 4000, 16).build()));
        assertThat(algo.schedule(s, pod("p", "prod", 1, 0).build(), 0).node()).isEqualTo("fast");
    }

    @Test
    void aShortNameCanBeRegisteredToo() {
        PluginRegistry registry = ShippedPlugins.registry().register(PreferFast.NAME, ctx -> new PreferFast());
        QshardConfig config = new QshardConfigLoader(registry)
                .parse(
                        "tiers: [{name: prod, plugins: [TierResourceFit, PreferFast], weights: {PreferFast: 3}}]",
                        "qshard.yaml");
        assertThat(Profile.build(config.tier("prod"), registry, PluginContext.defaults())
                        .weight(0))
                .isEqualTo(3);
    }

    @Test
    void aClassThatIsNotAPluginIsAnUnknownPlugin() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QshardConfigLoader(ShippedPlugins.registry())
                        .parse("tiers: [{name: prod, plugins: [java.lang.String]}]", "qshard.yaml"))
                .hasMessageContaining("tiers[0].plugins[0]: unknown plugin 'java.lang.String'");
    }
}
