package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllocatableScalingTest {
    @ParameterizedTest(name = "sent {0}, stored {1}, capacity {2}, ratio {3}, max {4} → {5}")
    @CsvSource({
        // sent × ratio, capped at capacity × max; -1 = leave as it is
        "15890, 23835, 16000, 1.5, 2.0, 23835", // the kubelet wrote its real value: 15890 × 1.5 = 23835
        "15890, -1,    16000, 1.5, 2.0, 23835", // CREATE
        "23835, 23835, 16000, 1.5, 2.0, -1", // allocatable not sent (someone patched another field): no compounding
        "15890, 23835, 16000, 1.0, 2.0, -1", // ratio 1: nothing to do
        "15890, 23835, 16000, 2.0, 1.5, 24000", // 31780 capped at 16000 × 1.5
        "15890, 23835, -1,    1.5, 2.0, 23835", // no capacity in the object: uncapped
        "-1,    23835, 16000, 1.5, 2.0, -1", // no allocatable sent
        "64424509440, -1, 67431735296, 1.2, 2.0, 77309411328", // memory in bytes: 60 GiB × 1.2 = 72 GiB
        "15890, 23835, 15000, 1.5, 1.0, -1", // capacity × max below the real value: never below the real value
        "9223372036854775807, -1, -1, 1.5, 2.0, -1", // above a long: left as sent
    })
    void scaledIsSentTimesRatioCappedAtCapacityTimesMax(
            long sent, long old, long capacity, double ratio, double max, long expected) {
        assertThat(AllocatableScaling.scaled(sent, old, capacity, ratio, max)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "stored {0} ÷ applied {1} = {2}")
    @CsvSource({
        "23835, 1.5, 15890",
        "22500, 1.4159848961611077, 15890", // the cap cut it: the recorded effective ratio 22500 / 15890
        "15890, 1, 15890", // never scaled
        "0, 1.5, 0",
    })
    void realIsStoredDividedByTheAppliedRatio(long stored, double applied, long expected) {
        assertThat(AllocatableScaling.real(stored, applied)).isEqualTo(expected);
    }

    @Test
    void theRealValueComesBackExactlyFromEveryScaledValueAndItsRecordedRatio() {
        SplittableRandom random = new SplittableRandom(25);
        for (int i = 0; i < 100_000; i++) {
            long real = i % 2 == 0 ? random.nextLong(1, 1_000_000) : random.nextLong(1, 1L << 42); // mcpu, bytes
            double ratio = 1 + random.nextInt(0, 2001) / 1000.0;
            long capacity = random.nextBoolean() ? -1 : real + random.nextLong(0, real);
            long scaled = AllocatableScaling.target(real, capacity, ratio, 3.0);
            double applied = (double) scaled / real; // what the webhook records
            assertThat(AllocatableScaling.real(scaled, applied))
                    .as("%d × %s", real, ratio)
                    .isEqualTo(real);
            assertThat(AllocatableScaling.target(AllocatableScaling.real(scaled, applied), capacity, ratio, 3.0))
                    .as("rescaling with an unchanged ratio gives the same value")
                    .isEqualTo(scaled);
        }
    }
}
