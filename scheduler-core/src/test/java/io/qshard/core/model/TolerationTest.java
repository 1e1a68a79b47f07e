package io.qshard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TolerationTest {
    @ParameterizedTest(name = "{0}/{1}={2}:{3} vs taint k=v:NO_SCHEDULE -> {4}")
    @CsvSource({
            // key, operator, value, effect (empty = any), tolerates k=v:NoSchedule?
            "k, EQUAL, v, NO_SCHEDULE, true",
            "k, EQUAL, w, NO_SCHEDULE, false",     // value differs
            "k, EXISTS, , NO_SCHEDULE, true",      // Exists ignores value
            "k, EXISTS, , , true",                 // null effect matches every effect
            "k, EXISTS, , NO_EXECUTE, false",      // effect differs
            "other, EXISTS, , , false",            // key differs
            ", EXISTS, , , true",                  // empty key + Exists tolerates everything
            ", EQUAL, v, , false",                 // empty key needs Exists
    })
    void matching(String key, Toleration.Operator op, String value, Taint.Effect effect, boolean expected) {
        Toleration t = new Toleration(key, op, value, effect);
        assertThat(t.tolerates(new Taint("k", "v", Taint.Effect.NO_SCHEDULE))).isEqualTo(expected);
    }
}
