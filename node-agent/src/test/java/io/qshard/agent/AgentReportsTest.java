package io.qshard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.kube.LocalPod;
import io.qshard.agent.kube.ReportWriter;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.Node;
import io.qshard.core.model.Resources;
import io.qshard.core.pool.BatchAdvertiser;
import io.qshard.core.usage.Usage;
import io.qshard.core.usage.UsageReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the agent reports, what it attributes to which tier, and what batch pool it advertises. */
class AgentReportsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Node NODE =
            Node.of("n1", Map.of(), List.of(), new Resources(10_000, 40L << 30, 110, 0, 0), false);
    private static final LocalPod PROD = new LocalPod(
            "u-prod",
            "ns",
            "prod",
            "prod",
            9000,
            QosClass.GUARANTEED,
            new Resources(8_000, 8L << 30, 1, 0, 0),
            8_000,
            false);
    private static final LocalPod BATCH = new LocalPod(
            "u-batch",
            "ns",
            "batch",
            "batch",
            5000,
            QosClass.BESTEFFORT,
            new Resources(0, 0, 1, 2_000, 2L << 30),
            0,
            false);

    private final List<UsageReport> reports = new ArrayList<>();
    private final List<Resources> advertised = new ArrayList<>();
    private final ReportWriter sink = new ReportWriter() {
        @Override
        public boolean report(UsageReport report, Collection<String> tiers, Function<String, LocalPod> pods) {
            reports.add(report);
            return true;
        }

        @Override
        public boolean advertise(Resources batch) {
            advertised.add(batch);
            return true;
        }
    };
    private final AgentReports agent = new AgentReports(
            new AgentSettings(
                    "n1",
                    Path.of("/sys/fs/cgroup"),
                    "",
                    "auto",
                    CgroupDriver.CGROUPFS,
                    Path.of("/proc"),
                    UsageSampler.NodeSource.PROC,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(1),
                    0.10,
                    1_000,
                    Duration.ofSeconds(30),
                    0.95,
                    false,
                    0,
                    QshardConfig.defaults()),
            sink,
            new AgentMetrics(),
            new BatchAdvertiser(Duration.ofSeconds(20), 0.02));

    private static NodeSample sample(long nodeCpu, long prodCpu, long batchCpu) {
        return new NodeSample(
                T0,
                Duration.ofSeconds(1),
                new Usage(nodeCpu, 12L << 30),
                Map.of(),
                Map.of(PROD.uid(), new Usage(prodCpu, 8L << 30), BATCH.uid(), new Usage(batchCpu, 1L << 30)));
    }

    private void tick(NodeSample s, long atSeconds) {
        agent.maybeReport(
                s,
                NODE,
                List.of(PROD, BATCH),
                uid -> uid.equals(PROD.uid()) ? PROD : uid.equals(BATCH.uid()) ? BATCH : null,
                T0.plusSeconds(atSeconds));
    }

    @Test
    void reportsEveryIntervalAndAtOnceWhenNodeCpuMoves() {
        tick(sample(3_000, 2_000, 800), 0);
        tick(sample(3_100, 2_000, 900), 1);
        tick(sample(3_200, 2_000, 1_000), 5);
        assertThat(reports)
                .as("the first, then nothing within the interval for small moves")
                .hasSize(1);
        tick(sample(4_500, 3_400, 900), 6); // +1500m > 10 % of 10 cores: the fast path
        assertThat(reports).hasSize(2);
        tick(sample(6_000, 5_000, 900), 7); // moved again, but one sample after the last report: not yet
        assertThat(reports).hasSize(2);
        tick(sample(6_000, 5_000, 900), 16); // the interval since the last report
        assertThat(reports).hasSize(3);
    }

    @Test
    void tiersComeFromThePodsAndTheRestOfTheNodeCountsAsOther() {
        tick(sample(3_000, 2_000, 800), 0);
        UsageReport r = reports.get(0);
        assertThat(r.tiers())
                .containsEntry("prod", new Usage(2_000, 8L << 30))
                .containsEntry("batch", new Usage(800, 1L << 30));
        // node 3000m − pods 2800m = 200m of system daemons, kubelet …
        assertThat(r.tiers().get("other").milliCpu()).isEqualTo(200);
    }

    @Test
    void theBatchPoolIsAdvertisedAndNeverBelowWhatBoundBatchPodsRequest() {
        // pool = peakCap 8500 − prod 2000 − other 200 (system, counted as prod) − margin 500 = 5800m
        tick(sample(3_000, 2_000, 800), 0);
        assertThat(advertised).hasSize(1);
        assertThat(advertised.get(0).batchMilliCpu()).isEqualTo(5_800);
        assertThat(reports.get(0).batchCeiling().milliCpu()).isEqualTo(5_800);
        // prod at 7800m: pool = 8500 − 7800 − 200 − 500 = 0, but the bound batch pod requests 2000m: ceiling 2000
        tick(sample(8_800, 7_800, 800), 10);
        assertThat(reports.get(1).batchCeiling().milliCpu()).isEqualTo(2_000);
        tick(sample(8_800, 7_800, 800), 20);
        tick(sample(8_800, 7_800, 800), 30);
        assertThat(advertised.get(advertised.size() - 1).batchMilliCpu())
                .as("lowered after the hold-down, to the bound floor")
                .isEqualTo(2_000);
    }
}
