package io.qshard.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BindingTimelineTest {
    private static final long MS = 1_000_000L;

    @Test
    void slowStartShowsInTheFirstBucketsAndNotInTheMiddleRate() {
        // 11 bindings: one every 100 ms for the first 5 (0..400 ms), then one every 10 ms (410..460 ms), then 1 s later
        long[] t = {
            0, 100 * MS, 200 * MS, 300 * MS, 400 * MS, 410 * MS, 420 * MS, 430 * MS, 440 * MS, 450 * MS, 1450 * MS
        };
        BindingTimeline timeline = BindingTimeline.of(reversed(t)); // order of arrival does not matter
        // nearest rank of n = 11: 10% → index 1 (100 ms), 50% → 5 (410 ms), 90% → 9 (450 ms), 99% → 10, 100% → 10
        assertThat(timeline.secondsTo()).containsExactly(new double[] {0.10, 0.41, 0.45, 1.45, 1.45}, within(1e-9));
        // 250 ms buckets: [0,250) holds 0,100,200 → 3; [250,500) holds 300..450 → 7; then 4 empty; [1250,1500) → 1
        assertThat(timeline.perBucket()).containsExactly(3, 7, 0, 0, 0, 1);
        // 8 bindings after the 10% one (index 1 → 9) in 0.35 s
        assertThat(timeline.middleRate()).isCloseTo(8 / 0.35, within(1e-9));
        // whole buckets only: 0.3 s → the first bucket; 0.5 s → two; 10 s → all 11
        assertThat(timeline.boundWithin(0.3)).isEqualTo(3);
        assertThat(timeline.boundWithin(0.5)).isEqualTo(10);
        assertThat(timeline.boundWithin(10)).isEqualTo(11);
        assertThat(timeline.toString())
                .startsWith("10% 0.10 s, 50% 0.41 s, 90% 0.45 s, 99% 1.45 s, 100% 1.45 s")
                .contains("per 250 ms [3, 7, 0, 0, 0, 1]")
                .endsWith("10→90%: 23 pods/s");
    }

    @Test
    void startsAtTheFirstBindingNotAtZero() {
        long base = 7_000_000_000L;
        BindingTimeline timeline = BindingTimeline.of(new long[] {base, base + 300 * MS});
        assertThat(timeline.secondsTo()[4]).isCloseTo(0.3, within(1e-9));
        assertThat(timeline.perBucket()).containsExactly(1, 1);
    }

    @Test
    void needsTwoBindings() {
        assertThatThrownBy(() -> BindingTimeline.of(new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
    }

    private static long[] reversed(long[] t) {
        long[] r = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            r[i] = t[t.length - 1 - i];
        }
        return r;
    }
}
