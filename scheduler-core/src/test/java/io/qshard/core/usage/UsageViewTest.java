package io.qshard.core.usage;

import static io.qshard.core.testing.Fixtures.T0;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.pool.PoolConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageViewTest {
    private static final long GI = 1L << 30;
    /** Defaults: factor 1.0, report interval 10 s, stale after 60 s. */
    private static final PoolConfig CONFIG = PoolConfig.defaults();

    private static final Instant NOW = T0.plusSeconds(3600);

    /** prod p1 (2000m, 4 Gi) and batch b1 (1000m, 2 Gi, asked as batch resources), both an hour old. */
    private static List<PodRequest> pods() {
        return List.of(
                pod("p1", "prod", 2000, 4).build(), pod("b1", "batch", 1000, 2).build());
    }

    private static UsageReport report(Instant at, Map<String, Usage> pods) {
        return new UsageReport(
                "n1",
                at,
                Duration.ofSeconds(10),
                new Usage(1000, 3 * GI),
                Map.of("prod", new Usage(600, 2 * GI), "batch", new Usage(300, GI)),
                pods);
    }

    @Test
    void withoutAReportUsageIsTheRequests() {
        UsageView v = UsageView.of(pods(), null, NOW, CONFIG.estimates());
        // conservative: prod = 2000m / 4 Gi requested; batch = 1000m / 2 Gi requested (batch resources count)
        assertThat(v.conservative()).isTrue();
        assertThat(v.of("prod")).isEqualTo(new Usage(2000, 4 * GI));
        assertThat(v.of("batch")).isEqualTo(new Usage(1000, 2 * GI));
        assertThat(v.of("mid")).isEqualTo(Usage.ZERO);
    }

    @ParameterizedTest(name = "report {0} s old -> conservative {1}")
    @CsvSource({"0, false", "59, false", "60, false", "61, true", "3600, true"})
    void aStaleReportFallsBackToRequests(long ageSeconds, boolean conservative) {
        Map<String, Usage> seen = Map.of("p1", new Usage(600, 2 * GI), "b1", new Usage(300, GI));
        UsageView v = UsageView.of(pods(), report(NOW.minusSeconds(ageSeconds), seen), NOW, CONFIG.estimates());
        // stale after 60 s: then prod = 2000m (requests), else 600m (reported)
        assertThat(v.conservative()).isEqualTo(conservative);
        assertThat(v.of("prod").milliCpu()).isEqualTo(conservative ? 2000 : 600);
    }

    @Test
    void aFreshReportGivesTheObservedUsage() {
        Map<String, Usage> seen = Map.of("p1", new Usage(600, 2 * GI), "b1", new Usage(300, GI));
        UsageView v = UsageView.of(pods(), report(NOW.minusSeconds(5), seen), NOW, CONFIG.estimates());
        assertThat(v.conservative()).isFalse();
        assertThat(v.of("prod")).isEqualTo(new Usage(600, 2 * GI));
        assertThat(v.of("batch")).isEqualTo(new Usage(300, GI));
    }

    @Test
    void aPodMissingFromTheReportCountsItsEstimate() {
        // b2 (batch, 500m / 1 Gi) was bound after the report: batch = 300m reported + 500m estimate = 800m,
        // 1 Gi + 1 Gi = 2 Gi
        List<PodRequest> onNode =
                List.of(pods().get(0), pods().get(1), pod("b2", "batch", 500, 1).build());
        Map<String, Usage> seen = Map.of("p1", new Usage(600, 2 * GI), "b1", new Usage(300, GI));
        UsageView v = UsageView.of(onNode, report(NOW.minusSeconds(5), seen), NOW, CONFIG.estimates());
        assertThat(v.of("batch")).isEqualTo(new Usage(800, 2 * GI));
    }

    @Test
    void aYoungPodCountsAtLeastItsRequestTimesTheFactor() {
        // b1 is 5 s old (younger than the 10 s interval) and reported at 300m / 1 Gi: estimate = max(300m, 1000m ×
        // 1.5) = 1500m and max(1 Gi, 2 Gi × 1.5) = 3 Gi; the report already holds 300m / 1 Gi of it, so batch =
        // 300m + 1200m = 1500m, 1 Gi + 2 Gi = 3 Gi
        PoolConfig factor = new PoolConfig(0.85, 0.9, 0.05, 0.05, 1.5, Duration.ofSeconds(10), Duration.ofSeconds(60));
        List<PodRequest> onNode = List.of(
                pods().get(0),
                pod("b1", "batch", 1000, 2).created(NOW.minusSeconds(5)).build());
        Map<String, Usage> seen = Map.of("p1", new Usage(600, 2 * GI), "b1", new Usage(300, GI));
        UsageView v = UsageView.of(onNode, report(NOW.minusSeconds(2), seen), NOW, factor.estimates());
        assertThat(v.of("batch")).isEqualTo(new Usage(1500, 3 * GI));
        assertThat(v.of("prod")).isEqualTo(new Usage(600, 2 * GI)); // p1 is old and reported: observed only
    }

    @Test
    void aYoungPodAboveItsRequestKeepsTheObservedValue() {
        // b1 young but already using 1200m > 1000m × 1.0: estimate = observed, nothing added; batch = 300m tier
        // figure as reported (the tier figure holds b1's 1200m in a real report; here it is what the report says)
        List<PodRequest> onNode =
                List.of(pod("b1", "batch", 1000, 2).created(NOW.minusSeconds(5)).build());
        UsageView v = UsageView.of(
                onNode, report(NOW.minusSeconds(2), Map.of("b1", new Usage(1200, 3 * GI))), NOW, CONFIG.estimates());
        assertThat(v.of("batch")).isEqualTo(new Usage(300, GI));
    }

    @Test
    void podsOfNoTierCountAsOther() {
        PodRequest foreign = new PodRequest(
                "f1",
                "kube-system",
                "dns",
                null,
                io.qshard.core.model.PoolRule.ALLOCATABLE,
                io.qshard.core.model.Resources.of(100, GI).withPods(1),
                Map.of(),
                null,
                List.of(),
                0,
                T0,
                null,
                "n1");
        UsageView v = UsageView.of(List.of(foreign), null, NOW, CONFIG.estimates());
        assertThat(v.of(UsageView.OTHER)).isEqualTo(new Usage(100, GI));
    }
}
