package io.qshard.shard.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 26's overflow: a NodeUsage report within its CRD schema (int64 ≥ 0) but at the top of the range, for the node
 * and a tier, used to overflow the tier sum inside the pool arithmetic and end the decision thread. It is now skipped
 * with its reason, the other node's report still applies, and the tier goes on scheduling.
 */
class TierSchedulerBadReportTest {
    private static final long GI = 1L << 30;
    private TierScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.kill();
        }
    }

    @Test
    void aReportAtTheTopOfTheSchemasRangeIsSkippedAndTheTierGoesOn() {
        QshardConfig config = QshardConfig.defaults();
        HeldBinder binder = new HeldBinder(32, 8);
        scheduler = new TierScheduler(
                config.tier("batch"),
                0,
                config,
                ShippedPlugins.registry(),
                SchedulerSettings.defaults(),
                Clock.systemUTC(),
                new SchedulerPorts(binder, new RecordingReporter(), null, null));
        scheduler.start();
        for (String n : List.of("a", "b")) {
            scheduler.nodeUpserted(
                    Node.of(n, Map.of(), List.of(), new Resources(4000, 16 * GI, 110, 4000, 16 * GI), false));
        }
        Instant now = Instant.now();
        long max = Long.MAX_VALUE;
        scheduler.usageReported(new UsageReport(
                "a", now, Duration.ofSeconds(10), new Usage(max, GI), Map.of("prod", new Usage(max, 0)), Map.of()));
        scheduler.usageReported(new UsageReport(
                "b", now, Duration.ofSeconds(10), new Usage(500, GI), Map.of("prod", new Usage(500, GI)), Map.of()));

        await().until(() ->
                scheduler.usage().rejected.sum() + scheduler.usage().applied.sum() == 2);
        assertThat(scheduler.usage().rejected.sum())
                .as("a's report, skipped with its reason")
                .isEqualTo(1);
        assertThat(scheduler.usage().applied.sum()).as("b's report").isEqualTo(1);
        assertThat(scheduler.metrics().errors.sum())
                .as("no exception reached the loop")
                .isZero();

        scheduler.podUpserted(
                new PodRequest(
                        "uid-p",
                        "ns",
                        "p",
                        "batch",
                        PoolRule.BATCH_POOL,
                        new Resources(0, 0, 1, 500, GI),
                        Map.of(),
                        null,
                        List.of(),
                        5000,
                        now,
                        null,
                        null),
                false,
                false);
        await().until(() -> binder.sent().size() == 1);
        assertThat(scheduler.isRunning()).isTrue();
    }
}
