package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.GI;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.snapshot.NodeState;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node 10000m / 100Gi; prod pods. kube-scheduler 1.20: f = (non-zero requested + pod's non-zero request) / capacity
 * per resource (float64); score = int64((1 − |f_cpu − f_mem|) × 100); 0 when a fraction is ≥ 1.
 */
class BalancedAllocationTest {
    private static final long MI = 1L << 20;
    private final BalancedAllocation plugin = new BalancedAllocation();

    @ParameterizedTest(name = "used {0}m/{1}Gi + pod {2}m/{3}Gi -> {4}")
    @CsvSource({
        "0, 0, 1000, 10, 100", // f = 0.1, 0.1 → (1 − 0) × 100
        "3000, 10, 1000, 10, 80", // f = 0.4, 0.2 → (1 − 0.2) × 100
        "0, 0, 5000, 0, 50", // f = 0.5, 0.0 → (1 − 0.5) × 100
        "9000, 0, 1000, 10, 0", // f_cpu = 1.0 → 0
        "0, 0, 1000, 52, 57", // f = 0.1, 0.52: (1 − 0.42) × 100 = 57.99999999999999 in float64 → 57, as kube
        "0, 0, 1000, 65, 44", // f = 0.1, 0.65: (1 − 0.55) × 100 = 44.99999999999999 → 44
    })
    void score(long usedCpu, long usedMem, long cpu, long mem, long expected) {
        NodeState n = node("n", 10_000, 100).state();
        if (usedCpu > 0 || usedMem > 0) {
            n = n.reserve(pod("u", "prod", usedCpu, usedMem).build());
        }
        assertThat(plugin.score(new CycleState(), pod("x", "prod", cpu, mem).build(), n))
                .isEqualTo(expected);
    }

    @Test
    void containersWithoutRequestsCountKubesDefaults() {
        // on the node: a pod without requests (non-zero 100m / 200Mi); the new pod: the same.
        // f_cpu = (100 + 100) / 10000 = 0.02; f_mem = 400Mi / 100Gi = 0.00390625; (1 − 0.01609375) × 100 = 98.39… → 98
        NodeState n = node("n", 10_000, 100)
                .state()
                .reserve(Pods.withNonZero(pod("u", "prod", 0, 0).build(), 100, 200 * MI));
        PodRequest p = Pods.withNonZero(pod("x", "prod", 0, 0).build(), 100, 200 * MI);
        assertThat(plugin.score(new CycleState(), p, n)).isEqualTo(98);
        // with real requests (all 0) it would be f = 0, 0 → 100
    }

    /** The fast path (multiplying by the node's 1 / capacity) gives kube's float64 divisions' result everywhere. */
    @Test
    void equalsKubesDivisionsOnRandomNodes() {
        SplittableRandom random = new SplittableRandom(11);
        int nearInteger = 0;
        int[] round = {1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64, 100, 128, 200, 256, 500};
        for (int i = 0; i < 20_000; i++) {
            // round capacities half the time: their fractions hit integer scores, where float64 lands just below
            long capCpu = 1000L * (random.nextBoolean() ? round[random.nextInt(13)] : 1 + random.nextInt(64));
            long capMemGi = random.nextBoolean() ? round[random.nextInt(round.length)] : 1 + random.nextInt(512);
            NodeState n = node("n", capCpu, capMemGi).state();
            long usedCpu = random.nextLong(capCpu + 1);
            long usedMem = random.nextLong(capMemGi + 1);
            n = n.reserve(pod("u", "prod", usedCpu, usedMem).build());
            long cpu = 10L * random.nextInt(1 + (int) capCpu / 10);
            long mem = random.nextInt((int) capMemGi + 1);
            long got = plugin.score(new CycleState(), pod("x", "prod", cpu, mem).build(), n);
            long want = kube(usedCpu + cpu, capCpu, (usedMem + mem) * GI, capMemGi * GI);
            assertThat(got)
                    .as("cpu %d+%d/%d mem %d+%d/%dGi", usedCpu, cpu, capCpu, usedMem, mem, capMemGi)
                    .isEqualTo(want);
            double exact = (1 - Math.abs((double) (usedCpu + cpu) / capCpu - (double) (usedMem + mem) / capMemGi));
            nearInteger += Math.abs(exact * 100 - Math.rint(exact * 100)) < 1e-9 ? 1 : 0;
        }
        assertThat(nearInteger)
                .as("cases on an integer boundary, where truncation is delicate")
                .isGreaterThan(100);
    }

    @Test
    void batchTiersScoreTheirBatchCurrency() {
        // batch 2000m / 20Gi advertised; a batch pod 500m/5Gi on it; the new one 500m/10Gi:
        // f = 1000/2000 = 0.5, 15/20 = 0.75 → (1 − 0.25) × 100 = 75
        NodeState n = node("n", 10_000, 100)
                .batch(2000, 20)
                .state()
                .reserve(pod("u", "batch", 500, 5).build());
        assertThat(plugin.score(new CycleState(), pod("x", "batch", 500, 10).build(), n))
                .isEqualTo(75);
        assertThat(n.nonZeroUsed(PoolRule.BATCH_POOL, 0)).isEqualTo(500);
    }

    /** kube-scheduler 1.20's balancedResourceScorer with fractionOfCapacity. */
    private static long kube(long reqCpu, long capCpu, long reqMem, long capMem) {
        double cpu = capCpu == 0 ? 1 : (double) reqCpu / (double) capCpu;
        double mem = capMem == 0 ? 1 : (double) reqMem / (double) capMem;
        if (cpu >= 1 || mem >= 1) {
            return 0;
        }
        return (long) ((1 - Math.abs(cpu - mem)) * 100);
    }
}
