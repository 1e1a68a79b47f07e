package io.qshard.core.plugins.complementary;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node 10000m / 100Gi. ps = (c − m)/(c + m) with c, m the pod's shares of capacity; ns = node cpu share −
 * node memory share; score = round(50 × (1 − ps × ns)).
 */
class ComplementaryProfileTest {
    private final ComplementaryProfile plugin = new ComplementaryProfile();

    @ParameterizedTest(name = "pod {0}m/{1}Gi on node used {2}m/{3}Gi -> {4}")
    @CsvSource({
        // cpu-heavy pod: c = 0.2, m = 0.02 → ps = 0.18/0.22 = 0.818
        "2000, 2, 1000, 50, 66", // memory-heavy node: ns = 0.1 − 0.5 = −0.4; ps × ns = −0.327 → 50 × 1.327 = 66.4 → 66
        "2000, 2, 5000, 10, 34", // cpu-heavy node: ns = 0.5 − 0.1 = 0.4; ps × ns = 0.327 → 50 × 0.673 = 33.6 → 34
        "1000, 10, 5000, 10, 50", // balanced pod: ps = 0 → 50
        "2000, 2, 0, 0, 50", // empty node: ns = 0 → 50
        // memory-heavy pod: c = 0.01, m = 0.3 → ps = −0.29/0.31 = −0.935
        "100, 30, 6000, 10, 73", // cpu-heavy node: ns = 0.6 − 0.1 = 0.5; ps × ns = −0.468 → 50 × 1.468 = 73.4 → 73
    })
    void score(long cpu, long memGi, long usedCpu, long usedMemGi, long expected) {
        NodeState n = node("n", 10_000, 100).state();
        if (usedCpu > 0 || usedMemGi > 0) {
            n = n.reserve(pod("u", "prod", usedCpu, usedMemGi).build());
        }
        assertThat(plugin.score(new CycleState(), pod("x", "prod", cpu, memGi).build(), n))
                .isEqualTo(expected);
    }
}
