package io.qshard.controllers.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.replicas.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WriteBackoffTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final WorkloadKey WEB = new WorkloadKey("ns", "apps", "Deployment", "web");
    private static final WorkloadKey API = new WorkloadKey("ns", "apps", "Deployment", "api");

    private final WriteBackoff backoff = new WriteBackoff(Duration.ofSeconds(30), Duration.ofMinutes(10));

    @Test
    void doublesFromThePeriodUpToTheCap() {
        Instant now = T0;
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) {
            WriteBackoff.Failing f = backoff.failed(WEB, now);
            assertThat(f.count()).isEqualTo(i + 1);
            waits[i] = Duration.between(now, f.until()).toSeconds();
            now = f.until();
        }
        assertThat(waits).containsExactly(30, 60, 120, 240, 480, 600, 600);
    }

    @Test
    void blocksOnlyThatWorkloadAndOnlyUntilTheNextTry() {
        WriteBackoff.Failing f = backoff.failed(WEB, T0);

        assertThat(backoff.blocked(WEB, T0.plusSeconds(29))).isTrue();
        assertThat(backoff.blocked(WEB, f.until())).isFalse();
        assertThat(backoff.blocked(API, T0)).isFalse();
    }

    @Test
    void aWrittenChangeForgetsTheFailures() {
        backoff.failed(WEB, T0);
        backoff.failed(WEB, T0.plusSeconds(30));
        backoff.succeeded(WEB);

        assertThat(backoff.blocked(WEB, T0.plusSeconds(31))).isFalse();
        assertThat(backoff.failed(WEB, T0.plusSeconds(40)).count()).isEqualTo(1);
    }

    @Test
    void manyFailuresSaturateAtTheCap() {
        WriteBackoff.Failing f = null;
        for (int i = 0; i < 100; i++) {
            f = backoff.failed(WEB, T0);
        }
        assertThat(f.until()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void refusesACapBelowTheFirstWait() {
        assertThatThrownBy(() -> new WriteBackoff(Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cap");
    }
}
