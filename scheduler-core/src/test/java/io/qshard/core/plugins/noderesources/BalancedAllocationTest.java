package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.snapshot.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Node 10000m / 100Gi; prod pod. score = (1 − |f_cpu − f_mem| / 2) × 100 with f = (used + request) / capacity. */
class BalancedAllocationTest {
    private final BalancedAllocation plugin = new BalancedAllocation();

    @ParameterizedTest(name = "used {0}m/{1}Gi + pod {2}m/{3}Gi -> {4}")
    @CsvSource({
        "0, 0, 1000, 10, 100", // f = 0.1, 0.1 → 1 − 0 = 100
        "3000, 10, 1000, 10, 90", // f = 0.4, 0.2 → 1 − 0.1 = 90
        "0, 0, 5000, 0, 75", // f = 0.5, 0.0 → 1 − 0.25 = 75
        "9000, 0, 1000, 10, 0", // f_cpu = 1.0 → 0
    })
    void score(long usedCpu, long usedMem, long cpu, long mem, long expected) {
        NodeState n = node("n", 10_000, 100).state();
        if (usedCpu > 0 || usedMem > 0) {
            n = n.reserve(pod("u", "prod", usedCpu, usedMem).build());
        }
        assertThat(plugin.score(new CycleState(), pod("x", "prod", cpu, mem).build(), n))
                .isEqualTo(expected);
    }
}
