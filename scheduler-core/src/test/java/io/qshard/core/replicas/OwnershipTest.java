package io.qshard.core.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who set the replicas last: spec.replicas (C) against the bookkeeping's S (set) and F (set-from). */
class OwnershipTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                // C, R, S, F → class
                row("no bookkeeping at all", 5, null, null, null, Ownership.NEW),
                row("a request but no S (hand-edited)", 5, 5, null, null, Ownership.NEW),
                row("F but no S (hand-edited)", 5, null, null, 5, Ownership.NEW),
                row("C == S", 30, 20, 30, 20, Ownership.STEADY),
                row("C == S == F", 20, 20, 20, 20, Ownership.STEADY),
                row("C == S, no F", 30, 20, 30, null, Ownership.STEADY),
                row("C == F != S: the scale did not land", 20, 20, 30, 20, Ownership.NOT_LANDED),
                row("C is neither S nor F", 7, 20, 30, 20, Ownership.MANUAL),
                row("C is not S, no F", 7, 20, 30, null, Ownership.MANUAL),
                row("scaled to 0 by hand", 0, 4, 8, 4, Ownership.MANUAL));
    }

    private static Arguments row(String name, int c, Integer r, Integer s, Integer f, Ownership expected) {
        return Arguments.of(name, c, new Bookkeeping(r, s, f, null, null), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifies(String name, int current, Bookkeeping book, Ownership expected) {
        assertThat(Ownership.classify(current, book)).isEqualTo(expected);
    }

    @Test
    void cEqualsFIsNotLandedOnlyWithinTheGraceAfterOurOwnChange() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Duration grace = Duration.ofSeconds(90);
        Bookkeeping landed = new Bookkeeping(10, 15, 10, t0, null);
        // the next cycle after a refused scale: retry
        assertThat(Ownership.classify(10, landed, t0.plusSeconds(30), grace)).isEqualTo(Ownership.NOT_LANDED);
        // hosting scaled 10 → 15, it landed, and an hour later the owner runs kubectl scale --replicas=10: manual
        assertThat(Ownership.classify(10, landed, t0.plusSeconds(3600), grace)).isEqualTo(Ownership.MANUAL);
        assertThat(Ownership.classify(10, landed, t0.plus(grace), grace)).isEqualTo(Ownership.MANUAL);
        // no change time: nothing to be within the grace of
        assertThat(Ownership.classify(10, new Bookkeeping(10, 15, 10, null, null), t0, grace))
                .isEqualTo(Ownership.MANUAL);
        // a change time far in the future (hand-edited) does not make every C == F a retry
        assertThat(Ownership.classify(10, new Bookkeeping(10, 15, 10, t0.plusSeconds(86_400), null), t0, grace))
                .isEqualTo(Ownership.MANUAL);
        // the other classes are as without time
        assertThat(Ownership.classify(15, landed, t0.plusSeconds(3600), grace)).isEqualTo(Ownership.STEADY);
        assertThat(Ownership.classify(7, landed, t0, grace)).isEqualTo(Ownership.MANUAL);
        assertThat(Ownership.classify(7, null, t0, grace)).isEqualTo(Ownership.NEW);
    }

    @Test
    void nullBookkeepingIsNew() {
        assertThat(Ownership.classify(3, null)).isEqualTo(Ownership.NEW);
    }
}
