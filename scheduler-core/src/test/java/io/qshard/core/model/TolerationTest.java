package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TolerationTest {
    @ParameterizedTest(name = "{0}/{1}={2}:{3} vs taint k=v:NO_SCHEDULE -> {4}")
    @CsvSource({
        // key, operator, value, effect (empty = any), tolerates k=v:NoSchedule?
        "k, EQUAL, v, NO_SCHEDULE, true",
        "k, EQUAL, w, NO_SCHEDULE, false", // value differs
        "k, EXISTS, , NO_SCHEDULE, true", // Exists ignores value
        "k, EXISTS, , , true", // null effect matches every effect
        "k, EXISTS, , NO_EXECUTE, false", // effect differs
        "other, EXISTS, , , false", // key differs
        ", EXISTS, , , true", // empty key + Exists tolerates everything
        ", EQUAL, v, , false", // empty key needs Exists
    })
    void matching(String key, Toleration.Operator op, String value, Taint.Effect effect, boolean expected) {
        Toleration t = new Toleration(key, op, value, effect);
        assertThat(t.tolerates(new Taint("k", "v", Taint.Effect.NO_SCHEDULE))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void equalOnEveryFieldAndOnlyThen() {
        Toleration base = new Toleration("k", Toleration.Operator.EQUAL, "v", Taint.Effect.NO_SCHEDULE);
        assertThat(new Toleration("k", null, "v", Taint.Effect.NO_SCHEDULE))
                .isEqualTo(base)
                .hasSameHashCodeAs(base);
        assertThat(java.util.List.of(
                        new Toleration("x", Toleration.Operator.EQUAL, "v", Taint.Effect.NO_SCHEDULE),
                        new Toleration("k", Toleration.Operator.EXISTS, "v", Taint.Effect.NO_SCHEDULE),
                        new Toleration("k", Toleration.Operator.EQUAL, "x", Taint.Effect.NO_SCHEDULE),
                        new Toleration("k", Toleration.Operator.EQUAL, "v", Taint.Effect.NO_EXECUTE),
                        new Toleration("k", Toleration.Operator.EQUAL, "v", null)))
                .allSatisfy(t -> assertThat(t).isNotEqualTo(base));
        assertThat(new Toleration(null, Toleration.Operator.EXISTS, null, null))
                .isEqualTo(new Toleration("", Toleration.Operator.EXISTS, "", null));
    }
}
