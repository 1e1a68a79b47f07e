package io.qshard.core.plugins.hotspot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.HotspotView;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvoidHotNodesTest {
    private static final HotspotView HOT_N1 = new HotspotView() {
        @Override
        public double hotspotProbability(String node) {
            return 0;
        }

        @Override
        public boolean hot(String node) {
            return "n1".equals(node);
        }
    };

    @ParameterizedTest(name = "{0} on {1} → {2}")
    @CsvSource({"batch, n1, false", "free, n1, false", "mid, n1, false", "prod, n1, true", "batch, n2, true"})
    void borrowingTiersKeepOffHotNodesProdDoesNot(String tier, String nodeName, boolean allowed) {
        NodeState n = node(nodeName, 8_000, 32).batch(4_000, 16).state();
        assertThat(new AvoidHotNodes(HOT_N1).filter(new CycleState(), pod("p", tier, 500, 1).build(), n).isSuccess())
                .isEqualTo(allowed);
    }
}
