package io.qshard.core.plugins.hotspot;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AvoidHotNodesTest {

    @ParameterizedTest(name = "{0} on a node hot={1} → allowed={2}")
    @CsvSource({
        // borrowing tiers keep off hot nodes; prod places by requests on capacity it owns
        "batch, true,  false",
        "free,  true,  false",
        "mid,   true,  false",
        "prod,  true,  true",
        "batch, false, true"
    })
    void borrowingTiersKeepOffHotNodesProdDoesNot(String tier, boolean hot, boolean allowed) {
        NodeState n = node("n1", 8_000, 32).batch(4_000, 16).state().withHeat(hot, 0);
        assertThat(new AvoidHotNodes()
                        .filter(new CycleState(), pod("p", tier, 500, 1).build(), n)
                        .isSuccess())
                .isEqualTo(allowed);
    }

    @Test
    void isNodeLocalSoDecisionsCanBeReused() {
        assertThat(new AvoidHotNodes().nodeLocal()).isTrue();
    }
}
