package io.qshard.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodOwnershipTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration ROTATION = Duration.ofSeconds(15);

    @Test
    void everyInstanceComputesTheSameOwnerAndItRotatesThroughEveryShard() {
        int first = PodOwnership.owner("uid-1", T0, T0.plusSeconds(3), 4, ROTATION);
        assertThat(PodOwnership.owner("uid-1", T0, T0.plusSeconds(14), 4, ROTATION))
                .isEqualTo(first);
        Set<Integer> seen = new HashSet<>();
        for (int turn = 0; turn < 4; turn++) {
            seen.add(PodOwnership.owner(
                    "uid-1", T0, T0.plus(ROTATION.multipliedBy(turn)).plusSeconds(1), 4, ROTATION));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(PodOwnership.owner("uid-1", T0, T0.plusSeconds(16), 4, ROTATION))
                .isEqualTo((first + 1) % 4);
        assertThat(PodOwnership.nextRotation(T0, T0.plusSeconds(16), ROTATION)).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void newPodsSpreadOverTheShards() {
        int[] count = new int[4];
        for (int i = 0; i < 4000; i++) {
            count[PodOwnership.owner("pod-" + i, T0, T0, 4, ROTATION)]++;
        }
        for (int c : count) {
            assertThat(c).isBetween(900, 1100); // 1000 ± 10 %
        }
        assertThat(PodOwnership.owner("x", T0, T0.plusSeconds(100), 1, ROTATION))
                .isZero();
    }
}
