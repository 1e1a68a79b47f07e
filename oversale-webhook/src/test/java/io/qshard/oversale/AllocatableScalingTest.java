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

    @ParameterizedTest(name = "stored {0}, applied {1}, recorded {2}, capacity {3} → real {4}")
    @CsvSource({
        // -1 recorded: none (a record from before the scaled value was kept); -1 real: unknown
        "23850, 1.5, 23850, 16000, 15900", // the value the webhook left: scaled
        "15900, 1.5, 23850, 16000, 15900", // a write the webhook missed stored the real value (not 15900 / 1.5 = 10600)
        "23835, 1.5, -1,    16000, 15890", // nothing recorded: the applied ratio is trusted, as before
        "23835, 1,  23835,  16000, -1", // the applied record removed by hand: 23835m is no real value on 16 cores
        "23835, 1,  -1,     16000, -1", // both removed: the same
        "23835, 1,  -1,     -1,    23835", // no capacity to tell
        "0,     1.5, 5,     16000, 0",
    })
    void theRealValueBehindAStoredOneTrustsTheAppliedRatioOnlyForTheRecordedValue(
            long stored, double applied, long recorded, long capacity, long expected) {
        assertThat(AllocatableScaling.realBehind(stored, applied, recorded, capacity))
                .isEqualTo(expected);
    }

    @Test
    void aMissedWriteIsScaledAgainWhereTheRoundTripWouldLandOnTheRealValue() {
        // 15900 ÷ 1.5 × 1.5 = 15900: trusting the ratio left the node at its real value for good
        assertThat(AllocatableScaling.target(AllocatableScaling.real(15_900, 1.5), 16_000, 1.5, 2.0))
                .isEqualTo(15_900);
        assertThat(AllocatableScaling.target(
                        AllocatableScaling.realBehind(15_900, 1.5, 23_850, 16_000), 16_000, 1.5, 2.0))
                .isEqualTo(23_850);
    }

    @Test
    void theRealValueComesBackExactlyFromEveryScaledValueAndItsRecordedRatio() {
        SplittableRandom random = new SplittableRandom(25);
        int capped = 0;
        for (int i = 0; i < 100_000; i++) {
            long real = i % 2 == 0 ? random.nextLong(2, 1_000_000) : random.nextLong(2, 1L << 42); // mcpu, bytes
            double ratio = 1 + random.nextInt(0, 2001) / 1000.0;
            // capacity in [real/2, 2·real) and max in [1, 3]: the cap cuts many of these (never below the real value)
            long capacity = random.nextBoolean() ? -1 : random.nextLong(real / 2, 2 * real);
            double max = 1 + random.nextInt(0, 2001) / 1000.0;
            long scaled = AllocatableScaling.target(real, capacity, ratio, max);
            if (capacity >= 0 && scaled < (long) Math.floor(real * ratio)) {
                capped++;
            }
            double applied = (double) scaled / real; // what the webhook records
            assertThat(AllocatableScaling.real(scaled, applied))
                    .as("%d × %s", real, ratio)
                    .isEqualTo(real);
            assertThat(AllocatableScaling.realBehind(
                            scaled, applied, scaled, capacity < 0 ? -1 : Math.max(capacity, real)))
                    .as("the recorded value with its ratio")
                    .isEqualTo(real);
            assertThat(AllocatableScaling.target(AllocatableScaling.real(scaled, applied), capacity, ratio, max))
                    .as("rescaling with an unchanged ratio gives the same value")
                    .isEqualTo(scaled);
        }
        assertThat(capped).as("the cap path is exercised").isGreaterThan(10_000);
    }
}
