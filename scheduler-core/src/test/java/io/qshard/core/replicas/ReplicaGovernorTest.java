package io.qshard.core.replicas;

import static io.qshard.core.replicas.Scene.ALGORITHM;
import static io.qshard.core.replicas.Scene.at;
import static io.qshard.core.replicas.Scene.hosted;
import static io.qshard.core.replicas.Scene.settings;
import static io.qshard.core.replicas.Scene.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.replicas.Recommendation.Kind;
import io.qshard.core.replicas.ReplicaDecision.Direction;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Phase 3 as sequences of (time, raw, C) → writes. Defaults unless a test says otherwise: min interval 60 s, up window
 * 3 min, step max(4, 50 % of C), 100 replicas per minute, manual hold 10 min. etl: min 2, max 40.
 */
class ReplicaGovernorTest {
    private static final HostedWorkload ETL = hosted("etl", "batch", 1000, 2, 40, 10, 10, 0, 1000);

    private final ReplicaGovernor governor = new ReplicaGovernor(HostingSettings.defaults());

    private static Recommendation raw(HostedWorkload w, int raw) {
        Kind kind = raw > w.current() ? Kind.ROOM : raw < w.current() ? Kind.SHED : Kind.STEADY;
        return new Recommendation(w.key(), raw, kind, 0, 0, 0, 0, 1000, 0, raw - w.current());
    }

    private ReplicaDecision decide(int current, Bookkeeping book, int raw, long seconds) {
        HostedWorkload w = with(ETL, current, book);
        return governor.decide(w, raw(w, raw), at(seconds));
    }

    @Test
    void upTakesTheLeastRecommendationOnceTheWindowIsSpanned() {
        // raws every 30 s: 30, 20, 25, 30, 30, 30 → not spanned before 180 s
        int[] raws = {30, 20, 25, 30, 30, 30};
        for (int k = 0; k < raws.length; k++) {
            ReplicaDecision d = decide(10, Bookkeeping.NONE, raws[k], 30L * k);
            assertThat(d.direction()).isEqualTo(Direction.HOLD);
            assertThat(d.next()).isNull();
            assertThat(d.why()).startsWith("hold: room not yet sustained for 3m; ");
        }
        // at 180 s the window [0, 180] holds 20: next = min(20, 10 + max(4, 5)) = 15
        ReplicaDecision d = decide(10, Bookkeeping.NONE, 30, 180);
        assertThat(d.direction()).isEqualTo(Direction.UP);
        assertThat(d.next()).isEqualTo(15);
        assertThat(d.why())
                .startsWith("10 → 15 replicas: ")
                .endsWith("; request 10, min 2, max 40, step ≤ 5, room " + "held for 3m");
        // at 240 s the 20 (at 30 s) is out of [60, 240]: least 25 → min(25, 10 + 5) = 15 still
        assertThat(decide(10, Bookkeeping.NONE, 30, 240).next()).isEqualTo(15);
        // from 20 replicas on (no last change recorded here) the least of [90, 270] is 30 → min(30, 20 + 10) = 30
        assertThat(decide(20, Bookkeeping.NONE, 30, 270).next()).isEqualTo(30);
    }

    @Test
    void aDipBelowCurrentInsideTheWindowHoldsTheScaleUp() {
        for (int k = 0; k <= 6; k++) {
            decide(10, Bookkeeping.NONE, k == 3 ? 9 : 30, 30L * k);
        }
        // window [30, 210] holds a 9 (at 90 s): upTarget 9 ≤ 10 → hold
        ReplicaDecision d = decide(10, Bookkeeping.NONE, 30, 210);
        assertThat(d.direction()).isEqualTo(Direction.HOLD);
        assertThat(d.why()).startsWith("hold: room not sustained for 3m (least recommendation 9); ");
    }

    @Test
    void downIsPromptAndStepsByPodsOrPercent() {
        // step(40) = max(4, 20) = 20: raw 2 → 20; step(6) = max(4, 3) = 4: raw 0 (clamped to min 2) → 2
        assertThat(decide(40, Bookkeeping.NONE, 2, 0).next()).isEqualTo(20);
        assertThat(decide(6, Bookkeeping.NONE, 0, 0).next()).isEqualTo(2);
        ReplicaDecision d = decide(6, Bookkeeping.NONE, 5, 0);
        assertThat(d.direction()).isEqualTo(Direction.DOWN);
        assertThat(d.next()).isEqualTo(5);
        // up: step(4) = max(4, 2) = 4 with a window of 0
        ReplicaGovernor noWindow = new ReplicaGovernor(settings(0.02, Duration.ofSeconds(60), Duration.ZERO));
        HostedWorkload w = with(ETL, 4, Bookkeeping.NONE);
        assertThat(noWindow.decide(w, raw(w, 40), at(0)).next()).isEqualTo(8);
    }

    @Test
    void theMinIntervalHoldsBothDirections() {
        Bookkeeping changed = new Bookkeeping(10, 10, 8, at(1000), null);
        for (int k = 0; k <= 6; k++) {
            decide(10, changed, 30, 1000 - 180 + 30L * k); // a spanned window of 30s up to t = 1000
        }
        ReplicaDecision up = decide(10, changed, 30, 1030);
        assertThat(up.direction()).isEqualTo(Direction.HOLD);
        assertThat(up.why()).startsWith("hold: min interval 60s since last change at 2026-01-01T00:16:40Z; ");
        assertThat(decide(10, changed, 5, 1059).direction()).isEqualTo(Direction.HOLD);
        assertThat(decide(10, changed, 5, 1060).next()).isEqualTo(5);
        // the window now holds the 5s: up waits for them to leave it
        assertThat(decide(10, changed, 30, 1090).direction()).isEqualTo(Direction.HOLD);
    }

    @Test
    void aManualChangeIsHeldEvenOutsideTheRangeThenClamped() {
        Bookkeeping manual = new Bookkeeping(50, 50, null, at(0), at(0));
        ReplicaDecision held = decide(50, manual, 10, 599);
        assertThat(held.direction()).isEqualTo(Direction.HOLD);
        assertThat(held.request()).isEqualTo(50);
        assertThat(held.why())
                .isEqualTo("hold: manual change at 2026-01-01T00:00:00Z, held until 2026-01-01T00:10:00Z");
        ReplicaDecision range = decide(50, manual, 10, 600);
        assertThat(range.direction()).isEqualTo(Direction.RANGE);
        assertThat(range.next()).isEqualTo(40);
        assertThat(range.why()).isEqualTo("50 → 40 replicas: outside min 2, max 40; request 50");
    }

    @Test
    void aRangeCorrectionIgnoresTheMinInterval() {
        Bookkeeping justChanged = new Bookkeeping(1, 1, 3, at(0), null);
        ReplicaDecision d = decide(1, justChanged, 1, 1);
        assertThat(d.direction()).isEqualTo(Direction.RANGE);
        assertThat(d.next()).isEqualTo(2);
    }

    @Test
    void steadyWhenTheTargetIsCurrent() {
        ReplicaDecision d = decide(40, Bookkeeping.NONE, 55, 0); // clamped to max 40
        assertThat(d.direction()).isEqualTo(Direction.STEADY);
        assertThat(d.next()).isNull();
        assertThat(d.raw()).isEqualTo(55);
        HostedWorkload atMax = with(ETL, 40, Bookkeeping.NONE);
        Recommendation steady = new Recommendation(atMax.key(), 40, Kind.STEADY, 12_000, 12_000, 3200, 0, 1000, 0, 0);
        assertThat(governor.decide(atMax, steady, at(0)).why())
                .isEqualTo("at max 40 (batch pool net 12.0 cores, band 3.2)");
        HostedWorkload below = with(ETL, 30, Bookkeeping.NONE);
        Recommendation noRoom = new Recommendation(below.key(), 30, Kind.STEADY, 12_000, 12_000, 3200, 0, 1000, 0, 0);
        assertThat(governor.decide(below, noRoom, at(0)).why())
                .isEqualTo("batch pool holds it: net 12.0 cores, band 3.2, no room for another replica");
    }

    @Test
    void forgottenWindowsMustBeSpannedAgain() {
        for (int k = 0; k <= 6; k++) {
            decide(10, Bookkeeping.NONE, 30, 30L * k);
        }
        governor.retain(Set.of());
        assertThat(decide(10, Bookkeeping.NONE, 30, 210).direction()).isEqualTo(Direction.HOLD);
        governor.retain(List.of(ETL.key()));
        // 210 and 390 are 180 s apart (> the 60 s max gap): the window restarts at 390, not spanned
        assertThat(decide(10, Bookkeeping.NONE, 30, 390).direction()).isEqualTo(Direction.HOLD);
        for (int k = 14; k <= 18; k++) {
            assertThat(decide(10, Bookkeeping.NONE, 30, 30L * k).direction()).isEqualTo(Direction.HOLD);
        }
        // samples every 30 s from 390 on: spanned at 570
        assertThat(decide(10, Bookkeeping.NONE, 30, 570).direction()).isEqualTo(Direction.UP);
    }

    @Test
    void aGapInTheCyclesRestartsTheWindow() {
        // one sample, then nothing for 400 s (frozen, standby, manual): one sample after the gap must not scale up
        assertThat(decide(10, Bookkeeping.NONE, 9, 0).direction()).isEqualTo(Direction.DOWN);
        ReplicaDecision d = decide(10, Bookkeeping.NONE, 30, 400);
        assertThat(d.direction()).isEqualTo(Direction.HOLD);
        assertThat(d.why()).startsWith("hold: room not yet sustained for 3m; ");
        // a gap just within max(2 × 30 s, 3 m / 4) = 60 s keeps the window: every 60 s from 400 s to 580 s
        for (long t = 460; t < 580; t += 60) {
            assertThat(decide(10, Bookkeeping.NONE, 30, t).direction()).isEqualTo(Direction.HOLD);
        }
        assertThat(decide(10, Bookkeeping.NONE, 30, 580).direction()).isEqualTo(Direction.UP);
    }

    @Test
    void theMaxGapIsTwoPeriodsOrAQuarterOfTheWindow() {
        assertThat(ReplicaGovernor.defaultMaxGap(Duration.ofMinutes(3), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(ReplicaGovernor.defaultMaxGap(Duration.ofMinutes(20), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofMinutes(5));
        ReplicaGovernor tight = new ReplicaGovernor(HostingSettings.defaults(), Duration.ofSeconds(20));
        HostedWorkload w = with(ETL, 10, Bookkeeping.NONE);
        for (int k = 0; k < 6; k++) {
            tight.decide(w, raw(w, 30), at(30L * k));
        }
        // 30 s spacing is a gap for a 20 s max gap: never spanned
        assertThat(tight.decide(w, raw(w, 30), at(180)).direction()).isEqualTo(Direction.HOLD);
    }

    @Test
    void aWindowLongerThanTheSampleCapIsStillSpanned() {
        // a 3 h window sampled every second needs 10 801 samples, more than the cap: the trim keeps the spanning one
        ReplicaGovernor g = new ReplicaGovernor(settings(0.02, Duration.ofSeconds(60), Duration.ofHours(3)));
        HostedWorkload w = with(ETL, 10, Bookkeeping.NONE);
        for (long t = 0; t < 3 * 3600; t++) {
            g.decide(w, raw(w, 30), at(t));
        }
        assertThat(g.decide(w, raw(w, 30), at(3 * 3600)).direction()).isEqualTo(Direction.UP);
    }

    @Test
    void resetForgetsEveryWindow() {
        for (int k = 0; k < 6; k++) {
            decide(10, Bookkeeping.NONE, 30, 30L * k);
        }
        governor.reset(); // frozen, thawed, or the lease changed hands
        assertThat(decide(10, Bookkeeping.NONE, 30, 180).direction()).isEqualTo(Direction.HOLD);
    }

    @Test
    void bookkeepingTimesFarInTheFutureReadAsAbsent() {
        // a hand-edited changed-at a day ahead would hold the workload for a day; past now + 5 min it reads as absent
        Bookkeeping future = new Bookkeeping(10, 10, 12, at(86_400), at(86_400));
        assertThat(decide(10, future, 5, 0).direction()).isEqualTo(Direction.DOWN);
        // within the skew it still holds (clock skew between leaders)
        Bookkeeping skewed = new Bookkeeping(10, 10, 12, at(120), null);
        assertThat(decide(10, skewed, 5, 0).direction()).isEqualTo(Direction.HOLD);
    }

    private static ReplicaDecision change(String name, int current, int next) {
        Direction d = next > current ? Direction.UP : Direction.DOWN;
        return new ReplicaDecision(
                new WorkloadKey("ns", "apps", "Deployment", name),
                "batch",
                new HostingSpec(true, 1, 100),
                current,
                current,
                current,
                0,
                next,
                next,
                d,
                current + " → " + next + " replicas: why");
    }

    @Test
    void theRateTakesRangesThenDownsLeastImportantFirstThenUpsAndCutsTheLast() {
        ReplicaGovernor g = new ReplicaGovernor(new HostingSettings(
                Duration.ofSeconds(60), Duration.ofMinutes(3), 0.02, 4, 50, 10, Duration.ofMinutes(10), 1000, 0.9));
        ReplicaDecision range = change("r", 0, 2).limitedTo(2, "0 → 2 replicas: outside");
        range = new ReplicaDecision(range.key(), "batch", range.spec(), 0, 0, 0, 0, 0, 2, Direction.RANGE, "range");
        // most important first: upA +6, downB −3, upC +4, downD −2, range +2
        List<ReplicaDecision> in = List.of(
                change("upA", 10, 16), change("downB", 10, 7), change("upC", 10, 14), change("downD", 5, 3), range);
        List<ReplicaDecision> out = g.limit(in, at(0));
        // budget 10: range 2 (8 left), downD 2 (6), downB 3 (3), upA cut to +3 (0), upC held
        assertThat(out.get(4).next()).isEqualTo(2);
        assertThat(out.get(3).next()).isEqualTo(3);
        assertThat(out.get(1).next()).isEqualTo(7);
        assertThat(out.get(0).next()).isEqualTo(13);
        assertThat(out.get(0).direction()).isEqualTo(Direction.UP);
        assertThat(out.get(0).why())
                .isEqualTo("10 → 13 replicas (cut from 16 by the cluster-wide rate of 10 replicas per minute): why");
        assertThat(out.get(2).next()).isNull();
        assertThat(out.get(2).direction()).isEqualTo(Direction.HOLD);
        assertThat(out.get(2).why()).startsWith("hold: cluster-wide rate of 10 replicas per minute used up");
        assertThat(g.rateLimited()).isEqualTo(2);
        // a minute later the budget is back
        assertThat(g.limit(List.of(change("upC", 10, 14)), at(60)).get(0).next())
                .isEqualTo(14);
    }

    @Test
    void underTheRateTheLeastImportantDownGoesFirst() {
        ReplicaGovernor g = new ReplicaGovernor(new HostingSettings(
                Duration.ofSeconds(60), Duration.ofMinutes(3), 0.02, 4, 50, 4, Duration.ofMinutes(10), 1000, 0.9));
        ReplicaDecision range = new ReplicaDecision(
                new WorkloadKey("ns", "apps", "Deployment", "r"),
                "batch",
                new HostingSpec(true, 2, 100),
                0,
                0,
                0,
                0,
                0,
                2,
                Direction.RANGE,
                "range");
        // most important first: downB −3, downD −2, range +2; budget 4: range 2, then downD (least important) 2
        List<ReplicaDecision> out = g.limit(List.of(change("downB", 10, 7), change("downD", 5, 3), range), at(0));
        assertThat(out.get(2).next()).isEqualTo(2);
        assertThat(out.get(1).next()).isEqualTo(3);
        assertThat(out.get(0).next()).isNull();
        assertThat(out.get(0).direction()).isEqualTo(Direction.HOLD);
    }

    @Test
    void theStepIsExactIntegerArithmetic() {
        HostingSettings s = new HostingSettings(
                Duration.ofSeconds(60), Duration.ofMinutes(3), 0.02, 1, 7, 100, Duration.ofMinutes(10), 1000, 0.9);
        // 7 % of 100 is 7 (a double product gives 7.000000000000001 and rounded up to 8)
        assertThat(s.step(100)).isEqualTo(7);
        assertThat(s.step(101)).isEqualTo(8);
        HostingSettings big = new HostingSettings(
                Duration.ofSeconds(60), Duration.ofMinutes(3), 0.02, 1, 1000, 100, Duration.ofMinutes(10), 1000, 0.9);
        assertThat(big.step(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    /**
     * The worked example's oscillation on the real planner, every 30 s for 20 min: 10 nodes × 16 cores, batch
     * replicas of 1 core using 1 core, spread evenly; prod's predicted peak alternates every minute between 9.2 and
     * 8.8 cores per node (batch pool 3.6 / 4.0 per node, 36 / 40 cores). Band (0.02) = 3.2 cores.
     *
     * <pre>
     * 37 replicas, high: N = 36 − 37 = −1 → shed 1 → 36
     * 36, high: N = 0 → steady;  36, low: N = 4, one more leaves 3 &lt; 3.2 → steady          (the band holds)
     * band 0: 36, low → 4 more (each node with 3 has exactly 1 core) → 40; 40, high: N = −4 → shed 4 → 36 …
     *         unless the up window (3 min) holds a high phase's 36: it always does                 (the window holds)
     * </pre>
     */
    private static List<Integer> oscillate(double hysteresis, Duration upWindow) {
        HostingSettings settings = settings(hysteresis, Duration.ofSeconds(60), upWindow);
        ReplicaPlanner planner = new ReplicaPlanner(Fleet.ROOM, settings);
        ReplicaGovernor governor = new ReplicaGovernor(settings);
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 100, 37, 37, 0, 1000);
        int c = 37;
        Bookkeeping book = new Bookkeeping(37, null, null, null, null);
        List<Integer> writes = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            Instant now = at(30L * k);
            boolean high = (k / 2) % 2 == 0;
            HostedWorkload w = with(etl, c, book);
            ClusterSnapshot s = new Scene(10, 16, 2000)
                    .prodPeak(high ? 9200 : 8800)
                    .replicas(w, c, 1000)
                    .snapshot();
            Recommendation rec = planner.plan(s, List.of(w), List.of(), ALGORITHM, k)
                    .recommendations()
                    .get(0);
            ReplicaDecision d =
                    governor.limit(List.of(governor.decide(w, rec, now)), now).get(0);
            if (d.next() != null) {
                writes.add(d.next());
                book = new Bookkeeping(37, d.next(), c, now, null);
                c = d.next();
            }
        }
        return writes;
    }

    @Test
    void anOscillationAroundTheThresholdChangesOnceWithTheDefaults() {
        assertThat(oscillate(0.02, Duration.ofMinutes(3))).containsExactly(36);
        // each mechanism alone holds it here too
        assertThat(oscillate(0.02, Duration.ZERO)).containsExactly(36);
        assertThat(oscillate(0, Duration.ofMinutes(3))).containsExactly(36);
        // without band and window it flaps every minute: 37 → 36, then 40, 36, 40, … (20 writes in 20 min)
        List<Integer> flaps = oscillate(0, Duration.ZERO);
        assertThat(flaps).hasSizeGreaterThanOrEqualTo(6).startsWith(36, 40, 36, 40, 36, 40);
    }
}
