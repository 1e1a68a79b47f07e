package io.qshard.kube.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.kube.testing.HandClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HealthChecksTest {
    private final HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aLoopIsStaleOnceItsHeartbeatIsOlderThanItsMaxAgeAndAliveAgainWhenItBeats() {
        Heartbeat decision = new Heartbeat(clock);
        Heartbeat migrate = new Heartbeat(clock);
        HealthChecks health = new HealthChecks()
                .add("decision/batch", decision, Duration.ofSeconds(30))
                .add("migrate", migrate, Duration.ofSeconds(100));
        assertThat(health.unhealthyReason()).isEmpty();

        clock.advance(Duration.ofSeconds(30));
        assertThat(decision.age()).isEqualTo(Duration.ofSeconds(30));
        assertThat(health.unhealthyReason()).as("at its max age still alive").isEmpty();

        clock.advance(Duration.ofSeconds(15));
        assertThat(health.unhealthyReason()).contains("decision/batch: stale, last heartbeat 45 s ago (at most 30 s)");

        decision.beat();
        assertThat(decision.age()).isZero();
        assertThat(health.unhealthyReason()).isEmpty();
    }

    @Test
    void aFatalLoopIsUnhealthyAtOnceAndTellsItsListenersOnceWithTheFirstCause() {
        Heartbeat decision = new Heartbeat(clock);
        List<String> told = new CopyOnWriteArrayList<>();
        HealthChecks health = new HealthChecks();
        health.whenFatal(told::add);
        health.add("decision/batch", decision, Duration.ofSeconds(30));

        decision.fatal(new IllegalStateException("invariant broken"));
        decision.fatal(new IllegalStateException("a second cause"));
        decision.beat(); // a dead loop stays dead whatever beats after

        String expected = "decision/batch: the loop died: java.lang.IllegalStateException: invariant broken";
        assertThat(decision.isFatal()).isTrue();
        assertThat(health.unhealthyReason()).contains(expected);
        assertThat(told).containsExactly(expected);

        List<String> late = new CopyOnWriteArrayList<>();
        health.whenFatal(late::add);
        assertThat(late).as("a listener added after the death hears of it").containsExactly(expected);
    }

    @Test
    void theTestHookKillsTheLoopsOfThatNameOrPrefixThatHaveOne() {
        List<String> killed = new CopyOnWriteArrayList<>();
        HealthChecks health = new HealthChecks()
                .add("decision/prod/0", new Heartbeat(clock), Duration.ofSeconds(30), () -> killed.add("prod/0"))
                .add("decision/batch", new Heartbeat(clock), Duration.ofSeconds(30), () -> killed.add("batch"))
                .add("decisions", new Heartbeat(clock), Duration.ofSeconds(30), () -> killed.add("other"))
                .add("migrate", new Heartbeat(clock), Duration.ofSeconds(30));

        assertThat(health.kill("decision")).isEqualTo(2);
        assertThat(killed).containsExactly("prod/0", "batch");
        assertThat(health.kill("migrate")).as("no hook").isZero();
        assertThat(health.kill("decision/batch")).isEqualTo(1);
    }

    @Test
    void aNonPositiveMaxAgeIsRefusedNamingTheCheck() {
        assertThatThrownBy(() -> new HealthChecks().add("decision/batch", new Heartbeat(clock), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decision/batch");
    }
}
