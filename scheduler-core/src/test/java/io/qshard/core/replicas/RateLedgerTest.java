package io.qshard.core.replicas;

import static io.qshard.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sliding minute of replica changes. */
class RateLedgerTest {
    private final RateLedger ledger = new RateLedger(100, Duration.ofMinutes(1));

    @Test
    void aChangeCountsForExactlyOneWindow() {
        assertThat(ledger.left(T0)).isEqualTo(100);
        ledger.record(30, T0);
        ledger.record(50, T0.plusSeconds(20));
        // 100 − 30 − 50 = 20 until the first change leaves the window at T0 + 60 s
        assertThat(ledger.left(T0.plusSeconds(59))).isEqualTo(20);
        assertThat(ledger.left(T0.plusSeconds(60))).isEqualTo(50);
        assertThat(ledger.left(T0.plusSeconds(80))).isEqualTo(100);
    }

    @Test
    void overdrawnReadsAsZeroNotNegative() {
        ledger.record(150, T0);
        assertThat(ledger.left(T0.plusSeconds(1))).isZero();
    }

    @Test
    void zeroRecordsNothingAndBadValuesAreNamed() {
        ledger.record(0, T0);
        assertThat(ledger.left(T0)).isEqualTo(100);
        assertThatThrownBy(() -> ledger.record(-1, T0)).hasMessageContaining("rate delta");
        assertThatThrownBy(() -> new RateLedger(0, Duration.ofMinutes(1)))
                .hasMessageContaining("--max-replicas-per-minute");
        assertThatThrownBy(() -> new RateLedger(1, Duration.ZERO)).hasMessageContaining("rate window");
    }
}
