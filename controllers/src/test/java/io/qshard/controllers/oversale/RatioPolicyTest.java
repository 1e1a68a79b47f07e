package io.qshard.controllers.oversale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RatioPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final RatioPolicy policy = new RatioPolicy(2.0, 0.85, 0.1, Duration.ofMinutes(10));

    @ParameterizedTest(name = "alloc {0}, requested {1}, peak {2}, current {3} → {4}")
    @CsvSource(
            nullValues = "null",
            value = {
                // room = 0.85 × alloc − peak; wanted = 1 + room / alloc ≤ 2; steps of at most 0.1
                "16000,  8000,  4000, null, 1.1", // room 9600 → wanted 1.6; from 1.0 one step up
                "16000,  8000,  4000, 1.55, 1.6", // wanted 1.6, within a step
                "16000,  8000,  4000, 1.6,  null", // already there
                "16000,  8000, 12000, 1.6,  1.5", // room 1600 → wanted 1.1; one step down
                "16000, 25000, 12000, 1.6,  1.57", // floor = 25000 / 16000 = 1.5625 → up to 1.57: never below the
                // requests
                "16000, 30000, 12000, 1.6,  null", // floor 1.875 above the current ratio: it stays
                "16000,  8000,    -1, 1.3,  1.2", // no fresh usage: no room, down towards 1
                "16000,  8000,     0, 1.95, 1.85", // idle: wanted = 1 + 0.85 — never more than fits under peakCap
                "16000,  8000,  4000, abc,  1.1", // a hand-edited bad value is replaced at once (from 1.0)
                "16000,  8000, 12000, 9,    1.1", // above the maximum: replaced at once, from 1.0 up to the wanted 1.1
            })
    void ratiosFollowTheRoomUnderPeakCapInBoundedSteps(
            long alloc, long requested, long peak, String current, Double expected) {
        assertThat(policy.next(alloc, requested, peak, current, null, NOW)).isEqualTo(expected);
    }

    @Test
    void aRatioChangesAtMostOncePerIntervalUnlessItIsInvalid() {
        Instant changed = NOW.minus(Duration.ofMinutes(5));
        assertThat(policy.next(16_000, 8_000, 4_000, "1.2", changed, NOW)).isNull();
        assertThat(policy.next(16_000, 8_000, 4_000, "1.2", changed, NOW.plus(Duration.ofMinutes(5))))
                .isEqualTo(1.3);
        assertThat(policy.next(16_000, 8_000, 4_000, "NaN", changed, NOW))
                .as("invalid: fixed at once")
                .isEqualTo(1.1);
    }

    @Test
    void theMaximumCaps() {
        RatioPolicy tight = new RatioPolicy(1.5, 0.85, 0.5, Duration.ZERO);
        // idle: wanted 1.85, capped at 1.5
        assertThat(tight.next(16_000, 0, 0, "1.2", null, NOW)).isEqualTo(1.5);
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new RatioPolicy(5, 0.85, 0.1, Duration.ZERO))
                .hasMessageContaining("max ratio must be in [1, 3.0]");
        assertThatThrownBy(() -> new RatioPolicy(2, 0.85, 0, Duration.ZERO)).hasMessageContaining("--max-step");
    }
}
