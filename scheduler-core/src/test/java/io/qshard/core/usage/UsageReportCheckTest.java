package io.qshard.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsageReportCheckTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Set<String> NODES = Set.of("n1");
    private final UsageReportCheck check = new UsageReportCheck();

    private static UsageReport report(String node, Instant at, Usage nodeUsage, Map<String, Usage> tiers) {
        return new UsageReport(node, at, Duration.ofSeconds(10), nodeUsage, tiers, Map.of());
    }

    @Test
    void aSaneReportPasses() {
        UsageReport r = report(
                "n1",
                NOW.minusSeconds(3),
                new Usage(1000, 1L << 30),
                Map.of("prod", new Usage(700, 1L << 29), "batch", new Usage(300, 1L << 29)));
        assertThat(check.problem(r, NODES::contains, NOW)).isEmpty();
    }

    @Test
    void unknownNodeFutureTimestampAndInconsistentTiersAreSkippedWithAReason() {
        assertThat(check.problem(report("ghost", NOW, new Usage(1, 1), Map.of()), NODES::contains, NOW))
                .hasValueSatisfying(m -> assertThat(m).contains("ghost").contains("no such node"));
        // 31 s ahead of the scheduler's clock, skew allowed 30 s
        assertThat(check.problem(report("n1", NOW.plusSeconds(31), new Usage(1, 1), Map.of()), NODES::contains, NOW))
                .hasValueSatisfying(m -> assertThat(m).contains("in the future"));
        assertThat(check.problem(report("n1", NOW.plusSeconds(30), new Usage(1, 1), Map.of()), NODES::contains, NOW))
                .isEmpty();
        // tiers 2000m against a node of 1000m: allowed 1000 × 1.1 + 100 = 1200m
        assertThat(check.problem(
                        report("n1", NOW, new Usage(1000, 1L << 30), Map.of("prod", new Usage(2000, 0))),
                        NODES::contains,
                        NOW))
                .hasValueSatisfying(m -> assertThat(m).contains("tiers add up to 2000m"));
    }

    @Test
    void figuresAtTheTopOfTheSchemasRangeAreSkippedBeforeAnyArithmetic() {
        // issue 26: Long.MAX_VALUE for the node and a tier is valid for the CRD (int64 ≥ 0) and used to overflow the
        // tier sum (-2m) inside the pool arithmetic, killing the decision thread; 2^53 is still taken
        long max = Long.MAX_VALUE;
        UsageReport absurd = report("n1", NOW, new Usage(max, 1L << 30), Map.of("prod", new Usage(max, 0)));
        assertThat(check.problem(absurd, NODES::contains, NOW))
                .hasValue("NodeUsage n1: status.node.cpuMilli = 9223372036854775807 is beyond the sane bound "
                        + "9007199254740992 (2^53); the report is skipped");
        UsageReport tier = report("n1", NOW, new Usage(1000, 1L << 30), Map.of("batch", new Usage(0, max)));
        assertThat(check.problem(tier, NODES::contains, NOW))
                .hasValueSatisfying(m -> assertThat(m).contains("status.tiers[batch].memoryBytes = " + max));
        long bound = UsageReportCheck.MAX_FIGURE;
        UsageReport atBound = report("n1", NOW, new Usage(bound, bound), Map.of("prod", new Usage(bound, bound)));
        assertThat(check.problem(atBound, NODES::contains, NOW)).isEmpty();
    }

    @Test
    void structurallyInvalidReportsCannotBeBuilt() {
        assertThatThrownBy(() -> new Usage(-1, 0)).hasMessageContaining("usage must be >= 0");
        assertThatThrownBy(() -> new UsageReport("n1", NOW, Duration.ZERO, Usage.ZERO, Map.of(), Map.of()))
                .hasMessageContaining("window must be > 0");
    }
}
