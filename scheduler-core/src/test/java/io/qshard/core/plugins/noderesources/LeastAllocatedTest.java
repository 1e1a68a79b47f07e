package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.snapshot.NodeState;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node 10000m / 100Gi, batch advertised 2000m / 20Gi; the pod asks 1000m / 10Gi (batch: 500m / 5Gi). kube-scheduler
 * 1.20, in integers: per resource (capacity − requested) × 100 / capacity (0 when requested &gt; capacity), then
 * (cpu + memory) / 2, with requested = non-zero requests on the node + the pod's.
 */
class LeastAllocatedTest {
    private static final long MI = 1L << 20;
    private final LeastAllocated plugin = new LeastAllocated();

    @ParameterizedTest(name = "{0}: used {1}m/{2}Gi -> {3}")
    @CsvSource({
        // tier, used cpu, used mem Gi, expected   arithmetic
        "prod, 0, 0, 90", // cpu (10000−0−1000)×100/10000 = 90; mem (100−0−10)×100/100 = 90; (90+90)/2
        "prod, 4000, 40, 50", // (10000−5000)×100/10000 = 50; (100−50)×100/100 = 50
        "prod, 9500, 0, 45", // cpu 10500 > 10000 → 0; mem 90; (0+90)/2
        "prod, 3333, 33, 56", // cpu (10000−4333)×100/10000 = 56.67 → 56; mem (100−43)×100/100 = 57; 113/2 → 56
        "batch, 500, 5, 50", // batch: (2000−1000)×100/2000 = 50; (20−10)×100/20 = 50
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

    @Test
    void zeroCapacityScoresZero() {
        assertThat(plugin.score(
                        new CycleState(),
                        pod("x", "batch", 500, 5).build(),
                        node("n", 10_000, 100).state()))
                .isZero();
    }

    @Test
    void containersWithoutRequestsCountKubesDefaults() {
        // on the node a pod without requests: non-zero 100m / 200Mi. The new pod 1000m / 10Gi:
        // cpu (10000 − 1100) × 100 / 10000 = 89; mem (102400Mi − 10440Mi) × 100 / 102400Mi = 89.8… → 89; (89+89)/2
        NodeState n = node("n", 10_000, 100)
                .state()
                .reserve(Pods.withNonZero(pod("u", "prod", 0, 0).build(), 100, 200 * MI));
        assertThat(plugin.score(new CycleState(), pod("x", "prod", 1000, 10).build(), n))
                .isEqualTo(89); // real requests (0 on the node) would give 90
    }

    @Test
    void integerArithmeticAsKube() {
        // a 1024Gi node; the pod counts 1 byte of memory and 0 cpu: cpu 100; mem (2^40 − 1) × 100 / 2^40 = 99.99…
        // → 99 in integers (a float formula rounds it up to 100); (100 + 99) / 2 = 99
        NodeState n = node("n", 10_000, 1024).state();
        assertThat(plugin.score(
                        new CycleState(),
                        Pods.withNonZero(pod("x", "prod", 0, 0).build(), 0, 1),
                        n))
                .isEqualTo(99);
    }

    /** The quotient from the node's 1 / capacity, corrected, is the integer division's on any amounts. */
    @Test
    void leastRequestedScoreIsTheIntegerDivision() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            long capacity = random.nextInt(4) == 0 ? 1 + random.nextInt(1000) : 1 + random.nextLong(1L << 44);
            long requested = random.nextInt(10) == 0 ? capacity - random.nextInt(3) : random.nextLong(capacity + 1);
            long want = requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
            assertThat(LeastAllocated.leastRequestedScore(requested, capacity, 1.0 / capacity))
                    .as("requested %d capacity %d", requested, capacity)
                    .isEqualTo(want);
        }
        assertThat(LeastAllocated.leastRequestedScore(5, 0, 0)).isZero();
        assertThat(LeastAllocated.leastRequestedScore(11, 10, 0.1)).isZero();
    }
}
