package io.qshard.core.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.model.Resources;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchAdvertiserTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(4);
    private final BatchAdvertiser advertiser = new BatchAdvertiser(HOLD, 0.02);

    private static Resources batch(long cpu) {
        return Resources.batch(cpu, 1000L << 20);
    }

    private BatchAdvertiser.Decision tick(long pool, long bound, long advertised, long atSeconds) {
        return advertiser.tick("n1", batch(pool), batch(bound), batch(advertised), T0.plusSeconds(atSeconds));
    }

    @Test
    void raisingIsWrittenAtOnceAndTheCeilingIsThePool() {
        BatchAdvertiser.Decision d = tick(6000, 1000, 0, 0);
        assertThat(d.ceiling()).isEqualTo(batch(6000));
        assertThat(d.advertise()).isEqualTo(batch(6000));
    }

    @Test
    void theCeilingIsNeverBelowWhatBoundPodsRequest() {
        // pool 2000m but 3000m of batch pods are bound: ceiling = max(2000, 3000) = 3000
        assertThat(tick(2000, 3000, 3000, 0).ceiling()).isEqualTo(batch(3000));
    }

    @Test
    void loweringWaitsUntilTheLowerCeilingWasPublishedForAWholeHoldDown() {
        tick(6000, 0, 6000, 0);
        // pool drops to 3000 at t=2: published at once, advertisement kept (the ceiling of t=0 is still in the window)
        BatchAdvertiser.Decision d = tick(3000, 0, 6000, 2);
        assertThat(d.ceiling()).isEqualTo(batch(3000));
        assertThat(d.advertise()).isNull();
        // t=4: window (0, 4] plus the ceiling in force at its start (t=0: 6000) → still 6000, no write
        assertThat(tick(3000, 0, 6000, 4).advertise()).isNull();
        // t=6: window (2, 6] plus the one in force at t=2 (3000) → max(0 bound, 3000, 3000) = 3000
        assertThat(tick(3000, 0, 6000, 6).advertise()).isEqualTo(batch(3000));
    }

    @Test
    void loweringStopsAtWhatIsBoundNow() {
        tick(6000, 0, 6000, 0);
        tick(1000, 0, 6000, 2);
        tick(1000, 2500, 6000, 4); // placements made against the old value show up bound
        // lowest = max(bound 2500, ceilings 1000 (t=2, in force at the window start), 2500 (t=4), 2500 (t=7)) = 2500
        assertThat(tick(1000, 2500, 6000, 7).advertise()).isEqualTo(batch(2500));
    }

    @Test
    void aFreshReporterDoesNotLowerAValueItHasNotPublishedAHoldDownAgainst() {
        // the node already advertises 8500 (set before this reporter started): no lowering before t = hold-down
        assertThat(tick(2000, 0, 8500, 0).advertise()).isNull();
        assertThat(tick(2000, 0, 8500, 3).advertise()).isNull();
        assertThat(tick(2000, 0, 8500, 4).advertise()).isEqualTo(batch(2000));
    }

    @Test
    void aFailedWriteRestartsTheHoldDown() {
        tick(2000, 0, 8500, 0);
        advertiser.failed("n1");
        assertThat(tick(2000, 0, 8500, 4).advertise()).isNull();
        assertThat(tick(2000, 0, 8500, 8).advertise()).isEqualTo(batch(2000));
    }

    @Test
    void smallChangesAreNotWritten() {
        tick(6000, 0, 6000, 0);
        assertThat(tick(6100, 0, 6000, 1).advertise()).as("+1.7 %").isNull();
        assertThat(tick(5900, 0, 6000, 10).advertise()).as("-1.7 %").isNull();
        assertThat(tick(6200, 0, 6000, 11).advertise()).as("+3.3 %").isEqualTo(batch(6200));
    }

    @Test
    void holdDownDefaultsToTwoIntervalsAndHasAFloor() {
        assertThat(BatchAdvertiser.holdDownFor(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(20));
        assertThat(BatchAdvertiser.holdDownFor(Duration.ofMillis(500))).isEqualTo(BatchAdvertiser.MIN_HOLD_DOWN);
        assertThatThrownBy(() -> new BatchAdvertiser(Duration.ofSeconds(1), 0.02))
                .hasMessageContaining("hold-down");
        assertThatThrownBy(() -> new BatchAdvertiser(HOLD, 1.0)).hasMessageContaining("change threshold");
    }
}
