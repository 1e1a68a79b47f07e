package io.qshard.core.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.Resources;
import io.qshard.core.testing.Extremes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link BatchAdvertiser} ticks with pools, bound requests and advertisements anywhere in the range of a long: no
 * exception, the published ceiling is never negative and covers both the pool and what is bound, an advertisement is
 * never written below what is bound, and a ceiling above the advertisement raises it at once.
 */
class BatchAdvertiserPropertyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    record Tick(long gapMillis, Resources pool, Resources bound, Resources advertised) {}

    @Property(tries = 500)
    void ceilingsAndAdvertisementsStayAboveWhatIsBound(@ForAll("ticks") List<Tick> ticks, @ForAll boolean fail) {
        BatchAdvertiser advertiser = new BatchAdvertiser(Duration.ofSeconds(2), 0.02);
        Instant now = T0;
        for (Tick t : ticks) {
            now = now.plusMillis(t.gapMillis());
            BatchAdvertiser.Decision d = advertiser.tick("n", t.pool(), t.bound(), t.advertised(), now);
            Resources ceiling = d.ceiling();
            assertThat(ceiling.isNonNegative()).as("ceiling %s", ceiling).isTrue();
            assertThat(atLeast(ceiling, t.pool()))
                    .as("ceiling %s covers the pool", ceiling)
                    .isTrue();
            assertThat(atLeast(ceiling, t.bound()))
                    .as("ceiling %s covers what is bound", ceiling)
                    .isTrue();
            if (d.advertise() != null) {
                assertThat(d.advertise().isNonNegative()).isTrue();
                assertThat(atLeast(d.advertise(), t.bound()))
                        .as("advertised %s never below bound %s", d.advertise(), t.bound())
                        .isTrue();
            }
            if (ceiling.batchMilliCpu() > Math.max(0, t.advertised().batchMilliCpu()) * 1.03 + 1) {
                assertThat(d.advertise())
                        .as("a higher ceiling is advertised at once")
                        .isNotNull();
                assertThat(d.advertise().batchMilliCpu()).isGreaterThanOrEqualTo(ceiling.batchMilliCpu());
            }
            if (fail) {
                advertiser.failed("n");
            }
        }
    }

    @Example
    void aCeilingAboveANegativeAdvertisementIsRaised() {
        // advertised −9223372036854775308m (a broken status) against a ceiling of 1000m: "ceiling − advertised"
        // wrapped to a negative difference, so the advertisement was not raised
        BatchAdvertiser advertiser = new BatchAdvertiser(Duration.ofSeconds(2), 0.02);
        BatchAdvertiser.Decision d = advertiser.tick(
                "n", Resources.batch(1000, 0), Resources.batch(1000, 0), Resources.batch(Long.MIN_VALUE + 500, 0), T0);
        assertThat(d.advertise()).isEqualTo(Resources.batch(1000, 0));
    }

    private static boolean atLeast(Resources a, Resources b) {
        return a.batchMilliCpu() >= Math.max(0, b.batchMilliCpu())
                && a.batchMemoryBytes() >= Math.max(0, b.batchMemoryBytes());
    }

    @Provide
    Arbitrary<List<Tick>> ticks() {
        Arbitrary<Resources> batch =
                Combinators.combine(Extremes.amounts(), Extremes.amounts()).as(Resources::batch);
        Arbitrary<Resources> advertised = Combinators.combine(Extremes.signedAmounts(), Extremes.signedAmounts())
                .as(Resources::batch);
        return Combinators.combine(Arbitraries.longs().between(0, 5000), batch, batch, advertised)
                .as(Tick::new)
                .list()
                .ofMaxSize(10);
    }
}
