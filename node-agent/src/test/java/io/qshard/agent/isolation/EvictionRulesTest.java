package io.qshard.agent.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.kube.LocalPod;
import io.qshard.core.model.Resources;
import io.qshard.core.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvictionRulesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final LocalPod PROD = pod("prod-1", "prod", 9000, QosClass.GUARANTEED);
    private static final LocalPod MID = pod("mid-1", "mid", 7000, QosClass.BURSTABLE);
    private static final LocalPod BATCH = pod("batch-1", "batch", 5000, QosClass.BESTEFFORT);
    private static final LocalPod FREE = pod("free-1", "free", 3000, QosClass.BESTEFFORT);
    private static final List<LocalPod> ALL = List.of(PROD, BATCH, MID, FREE);

    private static LocalPod pod(String name, String tier, int priority, QosClass qos) {
        return new LocalPod("uid-" + name, "ns", name, tier, priority, qos, new Resources(0, 0, 1, 0, 0), 0, false);
    }

    @Test
    void aBoxUnderOneCorePastTheGraceEvictsEveryBesteffortPodLowestTierFirst() {
        BoxEvictionRule rule = new BoxEvictionRule(1_000, Duration.ofSeconds(30));
        assertThat(rule.check(800, T0, ALL)).as("under, grace starts").isEmpty();
        assertThat(rule.check(900, T0.plusSeconds(29), ALL))
                .as("still within the grace")
                .isEmpty();
        assertThat(rule.check(500, T0.plusSeconds(30), ALL)).containsExactly(FREE, BATCH);
        assertThat(rule.check(500, T0.plusSeconds(31), ALL))
                .as("re-armed: a new grace")
                .isEmpty();
    }

    @Test
    void podsAlreadyTerminatingAreNotAskedAgain() {
        BoxEvictionRule rule = new BoxEvictionRule(1_000, Duration.ofSeconds(30));
        LocalPod leaving = new LocalPod(
                BATCH.uid(), "ns", BATCH.name(), "batch", 5000, QosClass.BESTEFFORT, BATCH.requests(), 0, true);
        rule.check(800, T0, List.of(PROD, leaving, FREE));
        assertThat(rule.check(800, T0.plusSeconds(30), List.of(PROD, leaving, FREE)))
                .containsExactly(FREE);
        MemoryPressureRule memory = new MemoryPressureRule(0.5, Duration.ofMinutes(2));
        assertThat(memory.check(100, 100, List.of(leaving), Map.of(BATCH.uid(), new Usage(0, 60)), T0))
                .isEmpty();
    }

    @Test
    void aBoxThatRecoversWithinTheGraceEvictsNothing() {
        BoxEvictionRule rule = new BoxEvictionRule(1_000, Duration.ofSeconds(30));
        rule.check(800, T0, ALL);
        assertThat(rule.check(1_000, T0.plusSeconds(20), ALL)).isEmpty();
        assertThat(rule.belowSince()).isNull();
        assertThat(rule.check(800, T0.plusSeconds(40), ALL))
                .as("a new dip starts a new grace")
                .isEmpty();
        assertThat(rule.check(800, T0.plusSeconds(70), ALL)).containsExactly(FREE, BATCH);
    }

    @Test
    void memoryPressureEvictsBesteffortPodsUntilTheNodeIsBackUnderTheThreshold() {
        MemoryPressureRule rule = new MemoryPressureRule(0.9, Duration.ofMinutes(2));
        long gi = 1L << 30;
        Map<String, Usage> usage = Map.of(BATCH.uid(), new Usage(0, 3 * gi), FREE.uid(), new Usage(0, 2 * gi));
        // 64 GiB, threshold 57.6 GiB; at 59 GiB the excess is 1.4 GiB: the free pod (lowest priority, 2 GiB) suffices
        assertThat(rule.check(59 * gi, 64 * gi, ALL, usage, T0)).containsExactly(FREE);
        // its 2 GiB are on their way out: still at 59 GiB a minute later, nothing more is asked
        assertThat(rule.check(59 * gi, 64 * gi, ALL, usage, T0.plusSeconds(60))).isEmpty();
        // at 63 GiB: 63 − 2 (leaving) − 57.6 = 3.4 GiB more: the batch pod (3 GiB) is not enough, but it is all there
        // is
        assertThat(rule.check(63 * gi, 64 * gi, ALL, usage, T0.plusSeconds(70))).containsExactly(BATCH);
        assertThat(rule.check(50 * gi, 64 * gi, ALL, usage, T0.plusSeconds(400)))
                .isEmpty();
    }
}
