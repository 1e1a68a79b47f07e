package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node 10000m / 100Gi, batch advertised 2000m / 20Gi; the pod asks 1000m / 10Gi (batch: 500m / 5Gi). */
class LeastAllocatedTest {
    private final LeastAllocated plugin = new LeastAllocated();

    @ParameterizedTest(name = "{0}: used {1}m/{2}Gi -> {3}")
    @CsvSource({
        // tier, used cpu, used mem Gi, expected   arithmetic
        "prod, 0, 0, 90", // cpu (10000−0−1000)/10000 = 90; mem (100−0−10)/100 = 90; mean 90
        "prod, 4000, 40, 50", // (10000−4000−1000)/10000 = 50; (100−40−10)/100 = 50
        "prod, 9500, 0, 45", // cpu 10000−9500−1000 < 0 → 0; mem 90; mean 45
        "batch, 500, 5, 50", // batch: (2000−500−500)/2000 = 50; (20−5−5)/20 = 50
    })
    void score(String tier, long usedCpu, long usedMemGi, long expected) {
        NodeState n = node("n", 10_000, 100).batch(2000, 20).state();
        if (usedCpu > 0 || usedMemGi > 0) {
            n = n.reserve(pod("u", tier, usedCpu, usedMemGi).build());
        }
        long cpu = tier.equals("batch") ? 500 : 1000;
        long mem = tier.equals("batch") ? 5 : 10;
        assertThat(plugin.score(new CycleState(), pod("x", tier, cpu, mem).build(), n))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "batch pod on a node without batch resources -> 0")
    @CsvSource({"500, 5"})
    void zeroCapacityScoresZero(long cpu, long mem) {
        assertThat(plugin.score(
                        new CycleState(),
                        pod("x", "batch", cpu, mem).build(),
                        node("n", 10_000, 100).state()))
                .isZero();
    }
}
