package io.qshard.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The race the advertiser exists for, played out on one node in 50 ms steps: a scheduler places 500m batch pods
 * against {@code min(advertised, ceiling)} as it saw them {@code schedulerLag} ago plus the pods it placed itself; a
 * reporter ticks every second with a pool that wanders at random, sees bound pods {@code reporterLag} late, publishes
 * the advertiser's ceiling and writes its advertisement; pods finish at random. Whatever the pool does, the node's
 * Σ batch requests never exceeds what it advertises — every pod the scheduler binds, a kubelet admits — as long as
 * the hold-down (2 s) exceeds both lags together.
 */
class BatchAdvertiserRacePropertyTest {
    private static final long STEP_MS = 50;
    private static final long POD = 500;
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Property(tries = 300)
    void boundRequestsNeverExceedTheAdvertisement(
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 900) int schedulerLagMs,
            @ForAll @IntRange(min = 0, max = 900) int reporterLagMs) {
        SplittableRandom random = new SplittableRandom(seed);
        BatchAdvertiser advertiser = new BatchAdvertiser(Duration.ofSeconds(2), 0.02);
        NavigableMap<Long, long[]> published = new TreeMap<>(); // t → {advertised, ceiling} as written
        NavigableMap<Long, Long> boundHistory = new TreeMap<>(); // t → Σ bound
        List<Long> pods = new ArrayList<>(); // each entry: one bound pod's end time
        long advertised = 0;
        long ceiling = Long.MAX_VALUE;
        long pool = 4000;
        published.put(Long.MIN_VALUE, new long[] {advertised, ceiling});
        boundHistory.put(Long.MIN_VALUE, 0L);
        for (long t = 0; t < 120_000; t += STEP_MS) {
            final long now = t;
            int before = pods.size();
            pods.removeIf(end -> end <= now);
            if (pods.size() != before) {
                boundHistory.put(t, (long) pods.size() * POD);
            }
            if (t % 1000 == 0) { // the reporter's tick
                pool = Math.max(0, Math.min(9000, pool + (random.nextInt(5) - 2) * 700L));
                long boundSeen = boundHistory.floorEntry(t - reporterLagMs).getValue();
                BatchAdvertiser.Decision d = advertiser.tick(
                        "n",
                        Resources.batch(pool, 0),
                        Resources.batch(boundSeen, 0),
                        Resources.batch(advertised, 0),
                        T0.plusMillis(t));
                ceiling = d.ceiling().batchMilliCpu();
                if (d.advertise() != null) {
                    advertised = d.advertise().batchMilliCpu();
                }
                published.put(t, new long[] {advertised, ceiling});
            }
            // the scheduler: sees the API as of (t − lag), plus what it placed since
            long seenAt = t - schedulerLagMs;
            long[] view = published.floorEntry(seenAt).getValue();
            long boundSeen = boundHistory.floorEntry(seenAt).getValue();
            // it counts at least what it saw bound and never less than the truth (it assumed its own placements);
            // counting completions at once makes it more eager than a real scheduler, so the check is stricter
            long accounted = Math.max(boundSeen, (long) pods.size() * POD);
            if (random.nextInt(4) == 0 && accounted + POD <= Math.min(view[0], view[1])) {
                pods.add(t + 2_000 + random.nextInt(20_000));
                boundHistory.put(t, (long) pods.size() * POD);
            }
            long total = (long) pods.size() * POD;
            assertThat(total)
                    .as("t=%d ms: Σ bound %d > advertised %d", t, total, advertised)
                    .isLessThanOrEqualTo(advertised);
        }
    }
}
