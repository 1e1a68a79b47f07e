package io.qshard.oversale;

import static org.assertj.core.api.Assertions.assertThat;

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
    })
    void scaledIsSentTimesRatioCappedAtCapacityTimesMax(
            long sent, long old, long capacity, double ratio, double max, long expected) {
        assertThat(AllocatableScaling.scaled(sent, old, capacity, ratio, max)).isEqualTo(expected);
    }
}
