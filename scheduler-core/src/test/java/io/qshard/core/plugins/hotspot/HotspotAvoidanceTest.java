package io.qshard.core.plugins.hotspot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.HotspotView;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.plugins.ShippedPlugins;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotspotAvoidanceTest {

    @ParameterizedTest(name = "p={0} -> {1}")
    @CsvSource({
        // score = round(100 × (1 − p))
        "0.0,   100",  // 100 × 1
        "0.25,  75",   // 100 × 0.75
        "0.333, 67",   // 100 × 0.667 = 66.7 → 67
        "0.9,   10",   // 100 × 0.1
        "1.0,   0",    // 100 × 0
        "1.7,   0",    // clamped to 1
        "-0.2,  100",  // nonsense below 0: not hot
        "NaN,   100"   // unknown: not hot
    })
    void scoreFallsWithTheHotspotProbability(double p, long expected) {
        HotspotAvoidance plugin = new HotspotAvoidance(name -> p);
        assertThat(plugin.score(null, pod("p", "batch", 1, 0).build(), node("n", 1000, 1).state())).isEqualTo(expected);
    }

    @Test
    void readsThePredictionOfEachNode() {
        Map<String, Double> predicted = Map.of("hot", 0.8, "cool", 0.05);
        HotspotAvoidance plugin = new HotspotAvoidance(name -> predicted.getOrDefault(name, 0.0));
        var nodes = new io.qshard.core.snapshot.NodeState[] {
            node("hot", 1000, 1).state(), node("cool", 1000, 1).state(), node("unknown", 1000, 1).state()};
        long[] out = new long[3];
        plugin.scoreAll(null, pod("p", "batch", 1, 0).build(), nodes, 3, out);
        // hot: 100 × 0.2 = 20; cool: 100 × 0.95 = 95; unknown: 100
        assertThat(out).containsExactly(20, 95, 100);
    }

    @Test
    void registeredByNameAndBuiltFromTheContextsView() {
        HotspotView view = name -> 0.5;
        var ctx = new PluginContext(PluginContext.defaults().pools(), PluginContext.defaults().clock(), view);
        var plugin = ShippedPlugins.registry().factory(HotspotAvoidance.NAME).orElseThrow().apply(ctx);
        assertThat(plugin).isInstanceOf(HotspotAvoidance.class);
        assertThat(((HotspotAvoidance) plugin).score(null, pod("p", "mid", 1, 0).build(), node("n", 1000, 1).state()))
                .isEqualTo(50);
    }
}
