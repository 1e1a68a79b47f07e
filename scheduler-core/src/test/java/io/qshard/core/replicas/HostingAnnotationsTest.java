package io.qshard.core.replicas;

import static io.qshard.core.replicas.HostingAnnotations.CHANGED_AT;
import static io.qshard.core.replicas.HostingAnnotations.HOSTING;
import static io.qshard.core.replicas.HostingAnnotations.MAX;
import static io.qshard.core.replicas.HostingAnnotations.MIN;
import static io.qshard.core.replicas.HostingAnnotations.REQUEST;
import static io.qshard.core.replicas.HostingAnnotations.REQUEST_CHANGED_AT;
import static io.qshard.core.replicas.HostingAnnotations.SET;
import static io.qshard.core.replicas.HostingAnnotations.SET_FROM;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The opt-in annotations as a table: each row is the annotations and the spec, or the problem naming the field. */
class HostingAnnotationsTest {
    private static final int CAP = 1000;

    static Stream<Arguments> rows() {
        return Stream.of(
                ok("absent: not hosted", Map.of(), HostingSpec.OFF),
                ok("false: not hosted", Map.of(HOSTING, "false"), HostingSpec.OFF),
                ok("false ignores a bad max", Map.of(HOSTING, "false", MAX, "lots"), HostingSpec.OFF),
                ok("min defaults to 1", Map.of(HOSTING, "true", MAX, "10"), new HostingSpec(true, 1, 10)),
                ok("min and max", Map.of(HOSTING, "true", MIN, "2", MAX, "40"), new HostingSpec(true, 2, 40)),
                ok("min 0", Map.of(HOSTING, "true", MIN, "0", MAX, "30"), new HostingSpec(true, 0, 30)),
                ok("min == max", Map.of(HOSTING, "true", MIN, "5", MAX, "5"), new HostingSpec(true, 5, 5)),
                ok("leading zero reads as decimal", Map.of(HOSTING, "true", MAX, "010"), new HostingSpec(true, 1, 10)),
                ok("max at the cap", Map.of(HOSTING, "true", MAX, "1000"), new HostingSpec(true, 1, 1000)),
                bad(
                        "TRUE",
                        Map.of(HOSTING, "TRUE", MAX, "10"),
                        HOSTING + " must be \"true\" or \"false\", was \"TRUE\""),
                bad("yes", Map.of(HOSTING, "yes", MAX, "10"), HOSTING + " must be \"true\" or \"false\", was \"yes\""),
                bad("missing max", Map.of(HOSTING, "true", MIN, "2"), MAX + " is required with " + HOSTING + "=true"),
                bad("min only", Map.of(HOSTING, "true", MIN, "0"), MAX + " is required with " + HOSTING + "=true"),
                bad("min > max", Map.of(HOSTING, "true", MIN, "5", MAX, "3"), MIN + " 5 is above " + MAX + " 3"),
                bad("max 0", Map.of(HOSTING, "true", MIN, "0", MAX, "0"), MAX + " must be >= 1, was 0"),
                bad("max -1", Map.of(HOSTING, "true", MAX, "-1"), count(MAX, "-1")),
                bad("min -1", Map.of(HOSTING, "true", MIN, "-1", MAX, "4"), count(MIN, "-1")),
                bad("leading space", Map.of(HOSTING, "true", MAX, " 5"), count(MAX, " 5")),
                bad("exponent", Map.of(HOSTING, "true", MAX, "1e3"), count(MAX, "1e3")),
                bad("seven digits", Map.of(HOSTING, "true", MAX, "1000000"), count(MAX, "1000000")),
                bad("words", Map.of(HOSTING, "true", MAX, "lots"), count(MAX, "lots")),
                bad(
                        "max above the cap",
                        Map.of(HOSTING, "true", MAX, "1001"),
                        MAX + " 1001 is above the cap 1000 (--max-replicas-cap)"));
    }

    private static String count(String name, String value) {
        return name + " must be a decimal integer in [0, 999999], was \"" + value + "\"";
    }

    private static Arguments ok(String name, Map<String, String> a, HostingSpec spec) {
        return Arguments.of(name, a, spec, null);
    }

    private static Arguments bad(String name, Map<String, String> a, String problem) {
        return Arguments.of(name, a, HostingSpec.OFF, problem);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parsesTheOptIn(String name, Map<String, String> annotations, HostingSpec spec, String problem) {
        HostingAnnotations.Parsed p = HostingAnnotations.parse(annotations, CAP);
        assertThat(p.spec()).isEqualTo(spec);
        assertThat(p.problem()).isEqualTo(problem);
        assertThat(p.book()).isEqualTo(Bookkeeping.NONE);
        assertThat(p.bookProblem()).isNull();
    }

    @Test
    void nullAnnotationsReadAsNone() {
        assertThat(HostingAnnotations.parse(null, CAP))
                .isEqualTo(new HostingAnnotations.Parsed(HostingSpec.OFF, null, Bookkeeping.NONE, null));
    }

    @Test
    void bookkeepingRoundTripsThroughThePatch() {
        Bookkeeping book = new Bookkeeping(
                20, 30, 20, Instant.parse("2026-12-07T12:00:00Z"), Instant.parse("2026-12-07T11:50:00.5Z"));
        Map<String, String> a = new HashMap<>(HostingAnnotations.patch(book));
        a.put(HOSTING, "true");
        a.put(MAX, "40");
        HostingAnnotations.Parsed p = HostingAnnotations.parse(a, CAP);
        assertThat(p.book()).isEqualTo(book);
        assertThat(p.bookProblem()).isNull();
        assertThat(a).containsEntry(CHANGED_AT, "2026-12-07T12:00:00Z").containsEntry(SET, "30");
    }

    @Test
    void bookkeepingIsReadWhenNotOptedInForTheOptOut() {
        HostingAnnotations.Parsed p = HostingAnnotations.parse(Map.of(HOSTING, "false", REQUEST, "7", SET, "9"), CAP);
        assertThat(p.spec()).isEqualTo(HostingSpec.OFF);
        assertThat(p.book().present()).isTrue();
        assertThat(p.book().request()).isEqualTo(7);
    }

    @Test
    void unparsableBookkeepingIsAbsentAndNamed() {
        HostingAnnotations.Parsed p = HostingAnnotations.parse(
                Map.of(
                        HOSTING, "true",
                        MAX, "10",
                        REQUEST, "seven",
                        SET, "4",
                        SET_FROM, "3",
                        CHANGED_AT, "yesterday",
                        REQUEST_CHANGED_AT, "2026-12-07T12:00:00+01:00"),
                CAP);
        assertThat(p.spec()).isEqualTo(new HostingSpec(true, 1, 10));
        assertThat(p.problem()).isNull();
        // an offset time reads as its instant: 12:00+01:00 = 11:00Z
        assertThat(p.book()).isEqualTo(new Bookkeeping(null, 4, 3, null, Instant.parse("2026-12-07T11:00:00Z")));
        assertThat(p.bookProblem())
                .isEqualTo(
                        count(REQUEST, "seven") + "; " + CHANGED_AT + " must be an RFC 3339 time, was \"yesterday\"");
    }

    @Test
    void patchNullsAbsentFieldsAndRemovalNullsThemAll() {
        Map<String, String> patch = HostingAnnotations.patch(new Bookkeeping(5, 5, null, null, null));
        assertThat(patch).hasSize(5).containsEntry(REQUEST, "5").containsEntry(SET_FROM, null);
        assertThat(HostingAnnotations.removal())
                .containsOnlyKeys(REQUEST, SET, SET_FROM, CHANGED_AT, REQUEST_CHANGED_AT)
                .allSatisfy((k, v) -> assertThat(v).isNull());
    }
}
