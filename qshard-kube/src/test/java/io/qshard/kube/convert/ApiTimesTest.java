package io.qshard.kube.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ApiTimesTest {
    @Test
    void agreesWithInstantParseOnApiserverTimestamps() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            // 1970 … 2100, whole seconds: the form metav1.Time is written in
            String text =
                    Instant.ofEpochSecond(random.nextLong(0, 4_102_444_800L)).toString();
            assertThat(ApiTimes.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        assertThat(ApiTimes.parse("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    }

    @Test
    void otherFormsGoToTheJdk() {
        assertThat(ApiTimes.parse("2026-12-02T01:08:33.123456Z"))
                .isEqualTo(Instant.parse("2026-12-02T01:08:33.123456Z"));
        // the JDK reads 24:00:00 as the end of the day; so do we (by asking it)
        assertThat(ApiTimes.parse("2026-12-02T24:00:00Z")).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        for (String bad :
                new String[] {"2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-0xT01:08:33Z", "yesterday", ""
                }) {
            assertThatThrownBy(() -> ApiTimes.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
