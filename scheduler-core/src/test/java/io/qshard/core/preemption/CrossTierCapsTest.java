package io.qshard.core.preemption;

import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qshard.core.model.PodRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The caps on preemption across tiers: 3 per trailing minute, 2 per node and 2 per workload within a 5-minute window;
 * only victims of another qshard tier than the preemptor's count.
 */
class CrossTierCapsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final CrossTierCaps caps = new CrossTierCaps(3, 2, 2, Duration.ofMinutes(5));
    private final PodRequest prod = pod("p", "prod", 1000, 0).build();

    private static PodRequest mid(String uid, String owner) {
        return owner == null
                ? pod(uid, "mid", 500, 0).build()
                : pod(uid, "mid", 500, 0).owner("ReplicaSet", owner).build();
    }

    private static Victims on(String node, PodRequest... pods) {
        return new Victims(node, List.of(pods), 0);
    }

    @Test
    void perNodeWithinTheWindow() {
        // n1: 2 recorded → a third on n1 is over (2 + 1 > 2); n2 is still free
        caps.record(prod, on("n1", mid("a", null), mid("b", null)), T);
        assertThat(caps.allows(prod, on("n1", mid("c", null)), T.plusSeconds(90)))
                .isFalse();
        assertThat(caps.allows(prod, on("n2", mid("c", null)), T.plusSeconds(90)))
                .isTrue();
        // past the 5-minute window n1 may lose pods again
        assertThat(caps.allows(prod, on("n1", mid("c", null)), T.plusSeconds(301)))
                .isTrue();
    }

    @Test
    void perMinuteClusterWide() {
        // 3 in the last minute on three nodes → a fourth anywhere is over (3 + 1 > 3) until the first leaves the minute
        caps.record(prod, on("n1", mid("a", null)), T);
        caps.record(prod, on("n2", mid("b", null)), T.plusSeconds(10));
        caps.record(prod, on("n3", mid("c", null)), T.plusSeconds(20));
        assertThat(caps.allows(prod, on("n4", mid("d", null)), T.plusSeconds(30)))
                .isFalse();
        assertThat(caps.allows(prod, on("n4", mid("d", null)), T.plusSeconds(61)))
                .isTrue();
    }

    @Test
    void perWorkloadCountsTheCandidatesOwnVictimsToo() {
        // rs-1 lost one already; a candidate taking two more of rs-1 → 1 + 2 > 2; one more → 1 + 1 ≤ 2
        caps.record(prod, on("n1", mid("a", "rs-1")), T);
        assertThat(caps.allows(prod, on("n2", mid("b", "rs-1"), mid("c", "rs-1")), T.plusSeconds(61)))
                .isFalse();
        assertThat(caps.allows(prod, on("n2", mid("b", "rs-1"), mid("c", "rs-2")), T.plusSeconds(61)))
                .isTrue();
    }

    @Test
    void victimsOfTheSameTierOrOfOtherSchedulersAreNeverCapped() {
        caps.record(prod, on("n1", mid("a", null), mid("b", null)), T);
        PodRequest lowerProd = pod("lp", "prod", 500, 0).priority(100).build();
        PodRequest foreign = pod("f", "prod", 500, 0).foreign().priority(0).build();
        assertThat(caps.allows(prod, on("n1", lowerProd, foreign), T)).isTrue();
        caps.record(prod, on("n1", lowerProd, foreign), T);
        assertThat(caps.allows(prod, on("n2", mid("c", null)), T)).isTrue(); // 2 counted, not 4: 2 + 1 ≤ 3
    }

    @Test
    void aVictimChosenAgainWhileItIsBeingRemovedCountsOnce() {
        // n1 has used 1 of 2; the next preemptor picks the same terminating pod "a" again: still 1 + 0 ≤ 2, and after
        // recording it twice a new victim on n1 is allowed (1 + 1 ≤ 2) — it would not be if "a" counted twice
        PodRequest a = mid("a", null);
        caps.record(prod, on("n1", a), T);
        assertThat(caps.allows(prod, on("n1", a), T.plusSeconds(1))).isTrue();
        caps.record(prod, on("n1", a), T.plusSeconds(1));
        assertThat(caps.allows(prod, on("n1", mid("b", null)), T.plusSeconds(2)))
                .isTrue();
    }

    @Test
    void aPreemptionLargerThanACapGoesAloneAndFillsItsWindow() {
        // 3 victims on one node against a per-node cap of 2: allowed on a fresh node and minute (else never),
        // then n1 is full for the window: 3 + 1 > 2
        PodRequest[] three = {mid("a", null), mid("b", null), mid("c", null)};
        assertThat(caps.allows(prod, on("n1", three), T)).isTrue();
        caps.record(prod, on("n1", three), T);
        assertThat(caps.allows(prod, on("n1", mid("d", null)), T.plusSeconds(90)))
                .isFalse();
        // three of one workload against 2 per workload: alone it goes; one more of it within 5 min does not
        PodRequest[] rs = {mid("e", "rs-9"), mid("f", "rs-9"), mid("g", "rs-9")};
        assertThat(caps.allows(prod, on("n2", rs), T.plusSeconds(120))).isTrue();
        caps.record(prod, on("n2", rs), T.plusSeconds(120));
        assertThat(caps.allows(prod, on("n3", mid("h", "rs-9")), T.plusSeconds(200)))
                .isFalse();
    }

    @Test
    void invalidCapsAreRefused() {
        assertThatThrownBy(() -> new CrossTierCaps(0, 1, 1, Duration.ofMinutes(1)))
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> new CrossTierCaps(1, 1, 1, Duration.ZERO)).hasMessageContaining("window");
    }
}
