package io.qshard.core.replicas;

import static io.qshard.core.replicas.Scene.at;
import static io.qshard.core.replicas.Scene.hosted;
import static io.qshard.core.replicas.Scene.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.replicas.Recommendation.Kind;
import io.qshard.core.replicas.ReplicaDecision.Direction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The governor over random runs of three workloads (random ranges, raws, manual changes and cycle gaps; writes land):
 * every write other than a range correction stays in [min, max] and moves at most one step, a range correction moves
 * into the range, nothing is written during a manual hold, and no sliding minute carries more than the budget.
 */
class ReplicaGovernorPropertyTest {
    private static final int BUDGET = 12;

    /** One cycle: per workload a raw and whether its replicas were changed by hand; then the gap to the next. */
    record Cycle(int[] raws, boolean[] manual, int gapSeconds) {}

    @Provide
    Arbitrary<List<Cycle>> runs() {
        Arbitrary<Cycle> cycle = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers()
                                .between(-5, 80)
                                .array(int[].class)
                                .ofSize(3),
                        Arbitraries.of(true, false, false, false, false, false, false, false, false, false)
                                .list()
                                .ofSize(3),
                        Arbitraries.integers().between(1, 90))
                .as((raws, manual, gap) -> {
                    boolean[] m = new boolean[3];
                    for (int i = 0; i < 3; i++) {
                        m[i] = manual.get(i);
                    }
                    return new Cycle(raws, m, gap);
                });
        return cycle.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void writesStayInRangeWithinAStepAndTheRate(
            @ForAll("runs") List<Cycle> run,
            @ForAll("mins") int min0,
            @ForAll("mins") int min1,
            @ForAll("widths") int width0,
            @ForAll("widths") int width1,
            @ForAll("starts") int start) {
        HostingSettings settings = new HostingSettings(
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                0.02,
                4,
                50,
                BUDGET,
                Duration.ofSeconds(120),
                1000,
                0.9);
        ReplicaGovernor governor = new ReplicaGovernor(settings);
        List<HostedWorkload> ws = List.of(
                hosted("a", "batch", 1000, min0, min0 + width0, start, start, 0, 1000),
                hosted("b", "batch", 1000, min1, min1 + width1, start, start, 0, 1000),
                hosted("c", "free", 1000, 0, 50, start, start, 0, 1000));
        int[] current = {start, start, start};
        Bookkeeping[] books = {Bookkeeping.NONE, Bookkeeping.NONE, Bookkeeping.NONE};
        ArrayDeque<Instant> writes = new ArrayDeque<>();
        Instant now = at(0);
        for (Cycle cycle : run) {
            List<ReplicaDecision> decisions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                if (cycle.manual()[i]) {
                    current[i] = Math.abs(cycle.raws()[i]); // someone scaled it, maybe out of range
                    books[i] = new Bookkeeping(current[i], current[i], null, now, now);
                }
                HostedWorkload w = with(ws.get(i), current[i], books[i]);
                int raw = Math.max(0, cycle.raws()[i]);
                Kind kind = raw == current[i] ? Kind.STEADY : Kind.ROOM;
                decisions.add(governor.decide(w, new Recommendation(w.key(), raw, kind, 0, 0, 0, 0, 1000, 0, 0), now));
            }
            List<ReplicaDecision> limited = governor.limit(decisions, now);
            for (int i = 0; i < 3; i++) {
                ReplicaDecision d = limited.get(i);
                HostingSpec spec = ws.get(i).spec();
                int c = current[i];
                if (d.next() == null) {
                    assertThat(d.direction()).isIn(Direction.HOLD, Direction.STEADY);
                    continue;
                }
                assertThat(books[i].requestChangedAt() == null
                                || !now.isBefore(books[i].requestChangedAt().plus(settings.manualHold())))
                        .as("no write during a manual hold")
                        .isTrue();
                int next = d.next();
                assertThat(next).isNotEqualTo(c);
                if (d.direction() == Direction.RANGE) {
                    // towards clamp(c), never past it
                    assertThat(next).isBetween(Math.min(c, spec.clamp(c)), Math.max(c, spec.clamp(c)));
                } else {
                    assertThat(next).isBetween(spec.min(), spec.max());
                    assertThat(Math.abs(next - c)).isLessThanOrEqualTo(settings.step(c));
                    assertThat(books[i].changedAt() == null
                                    || !now.isBefore(books[i].changedAt().plus(settings.minInterval())))
                            .as("no change within the min interval of the last one")
                            .isTrue();
                }
                for (int k = 0; k < Math.abs(next - c); k++) {
                    writes.addLast(now);
                }
                books[i] = new Bookkeeping(books[i].request(), next, c, now, books[i].requestChangedAt());
                current[i] = next;
            }
            while (!writes.isEmpty() && !writes.peekFirst().isAfter(now.minusSeconds(60))) {
                writes.removeFirst();
            }
            assertThat(writes.size()).as("replicas changed in the last minute").isLessThanOrEqualTo(BUDGET);
            now = now.plusSeconds(cycle.gapSeconds());
        }
    }

    @Provide
    Arbitrary<Integer> mins() {
        return Arbitraries.integers().between(0, 10);
    }

    @Provide
    Arbitrary<Integer> widths() {
        return Arbitraries.integers().between(0, 40);
    }

    @Provide
    Arbitrary<Integer> starts() {
        return Arbitraries.integers().between(0, 60);
    }
}
