package io.qshard.core.plugins.hotspot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.PluginContext;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HotspotAvoidanceTest {

    @ParameterizedTest(name = "p={0} -> {1}")
    @CsvSource({
        // score = round(100 × (1 − p)); NodeState keeps p in [0, 1]
        "0.0,   100", // 100 × 1
        "0.25,  75", // 100 × 0.75
        "0.333, 67", // 100 × 0.667 = 66.7 → 67
        "0.9,   10", // 100 × 0.1
        "1.0,   0", // 100 × 0
        "1.7,   0", // clamped to 1 by NodeState.withHeat
        "-0.2,  100", // nonsense below 0: read as 0
        "NaN,   100" // unknown: read as 0
    })
    void scoreFallsWithTheHotspotProbability(double p, long expected) {
        NodeState n = node("n", 1000, 1).state().withHeat(false, p);
        assertThat(new HotspotAvoidance().score(null, pod("p", "batch", 1, 0).build(), n))
                .isEqualTo(expected);
    }

    @Test
    void readsEachNodesOwnProbability() {
        var nodes = new NodeState[] {
            node("hot", 1000, 1).state().withHeat(false, 0.8),
            node("cool", 1000, 1).state().withHeat(false, 0.05),
            node("unknown", 1000, 1).state()
        };
        long[] out = new long[3];
        new HotspotAvoidance().scoreAll(null, pod("p", "batch", 1, 0).build(), nodes, 3, out);
        // hot: 100 × 0.2 = 20; cool: 100 × 0.95 = 95; unknown: 100
        assertThat(out).containsExactly(20, 95, 100);
    }

    @Test
    void registeredByNameAndNodeLocal() {
        var plugin = ShippedPlugins.registry()
                .factory(HotspotAvoidance.NAME)
                .orElseThrow()
                .apply(PluginContext.defaults());
        assertThat(plugin).isInstanceOf(HotspotAvoidance.class);
        assertThat(plugin.nodeLocal()).isTrue();
    }
}
