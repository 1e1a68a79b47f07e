package io.qshard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.config.QshardConfig;
import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.HostingSpec;
import io.qshard.core.replicas.PoolBalance;
import io.qshard.core.replicas.ReplicaDecision;
import io.qshard.core.replicas.ReplicaDecision.Direction;
import io.qshard.core.replicas.WorkloadKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code qshard replicas status}'s text from hand-made decisions and pool figures (the built-in tiers). */
class ReplicaStatusTableTest {
    private static final long GIB = 1L << 30;

    private static ReplicaDecision decision(
            String kind,
            String name,
            String tier,
            HostingSpec spec,
            int request,
            int current,
            int bound,
            int pending,
            int raw,
            Integer next,
            Direction direction,
            String why) {
        return new ReplicaDecision(
                new WorkloadKey("shop", "apps", kind, name),
                tier,
                spec,
                request,
                current,
                bound,
                pending,
                raw,
                next,
                direction,
                why);
    }

    private static final List<ReplicaDecision> DECISIONS = List.of(
            decision(
                    "Deployment",
                    "etl",
                    "batch",
                    new HostingSpec(true, 2, 40),
                    20,
                    37,
                    37,
                    0,
                    23,
                    23,
                    Direction.DOWN,
                    "batch pool over by 26.0 cores; 1.6 cores per replica → shed 17"),
            decision(
                    "Deployment",
                    "web",
                    "batch",
                    new HostingSpec(true, 2, 8),
                    6,
                    6,
                    6,
                    0,
                    50,
                    null,
                    Direction.HOLD,
                    "hold: manual change at 12:01:03, held until 12:11:03"),
            decision(
                    "StatefulSet",
                    "crawl",
                    "free",
                    new HostingSpec(true, 0, 30),
                    10,
                    5,
                    4,
                    1,
                    -3,
                    0,
                    Direction.DOWN,
                    "free pool over by 36.0 cores → to min"),
            decision(
                    "Deployment",
                    "api",
                    "batch",
                    new HostingSpec(true, 1, 10),
                    3,
                    3,
                    0,
                    0,
                    3,
                    null,
                    Direction.HOLD,
                    "left alone: HorizontalPodAutoscaler shop/api (autoscaling/v1)"),
            decision(
                    "Deployment",
                    "bad",
                    "",
                    HostingSpec.OFF,
                    4,
                    4,
                    0,
                    0,
                    4,
                    null,
                    Direction.HOLD,
                    "invalid: qshard.io/replicas-max \"ten\" is not an integer"));

    private static final Map<PoolRule, PoolBalance.Figures> POOLS = Map.of(
            PoolRule.BATCH_POOL, new PoolBalance.Figures(12_345, 48 * GIB, 3_200, 12 * GIB + GIB / 2),
            PoolRule.FREE_POOL, new PoolBalance.Figures(-2_100, 20 * GIB, 3_200, 12 * GIB + GIB / 2));

    private static List<String> render(List<ReplicaDecision> decisions, Optional<String> frozen) {
        return ReplicaStatusTable.lines(QshardConfig.defaults().tiers(), POOLS, decisions, frozen);
    }

    @Test
    void aLineForEachBorrowingTierWithAPoolThenOneRowPerWorkloadInTheControllersOrder() {
        List<String> lines = render(DECISIONS, Optional.empty());

        assertThat(lines).hasSize(2 + 1 + 5);
        assertThat(lines.get(0))
                .isEqualTo("tier batch: net pool 12.3 cores / 48.0 GiB (band 3.2 cores / 12.5 GiB), 2 hosted, "
                        + "replicas 43 (request 26)");
        assertThat(lines.get(1))
                .isEqualTo("tier free: net pool -2.1 cores / 20.0 GiB (band 3.2 cores / 12.5 GiB), 1 hosted, "
                        + "replicas 5 (request 10)");
        assertThat(lines.get(2).split(" +"))
                .containsExactly(
                        "NAMESPACE",
                        "WORKLOAD",
                        "TIER",
                        "MIN",
                        "MAX",
                        "REQUEST",
                        "CURRENT",
                        "BOUND",
                        "PENDING",
                        "DESIRED",
                        "NEXT",
                        "WHY");
        assertThat(lines.get(3))
                .startsWith("shop       Deployment/etl     batch  2    40   20       37       37     0        23   ")
                .endsWith("  23    batch pool over by 26.0 cores; 1.6 cores per replica → shed 17");
    }

    @Test
    void desiredIsTheRecommendationClampedNextIsWhatIsWrittenAndTheUnhostedShowDashes() {
        List<String> lines = render(DECISIONS, Optional.empty());

        // web: the pool calls for 50, max is 8; held, so nothing is written
        assertThat(cells(lines.get(4)))
                .containsExactly("shop", "Deployment/web", "batch", "2", "8", "6", "6", "6", "0", "8", "-", "hold:");
        // crawl: a negative recommendation is its min (0)
        assertThat(cells(lines.get(5)))
                .containsExactly("shop", "StatefulSet/crawl", "free", "0", "30", "10", "5", "4", "1", "0", "0", "free");
        // api: an HPA owns its replicas: its range is shown, nothing is planned (and it is not counted as hosted)
        assertThat(cells(lines.get(6)))
                .containsExactly("shop", "Deployment/api", "batch", "1", "10", "3", "3", "-", "-", "-", "-", "left");
        // bad: invalid annotations: no tier, no range, nothing planned
        assertThat(cells(lines.get(7)))
                .containsExactly("shop", "Deployment/bad", "-", "-", "-", "4", "4", "-", "-", "-", "-", "invalid:");
        assertThat(lines.get(7)).endsWith("invalid: qshard.io/replicas-max \"ten\" is not an integer");
    }

    @Test
    void columnsLineUpWhateverTheirWidth() {
        List<String> lines = render(DECISIONS, Optional.empty());
        List<String> table = lines.subList(2, lines.size());
        int why = table.get(0).indexOf("WHY");
        int next = table.get(0).indexOf("NEXT");
        for (String row : table) {
            assertThat(row.charAt(why - 1)).as(row).isEqualTo(' ');
            assertThat(row.charAt(why)).as(row).isNotEqualTo(' ');
            assertThat(row.charAt(next)).as(row).isNotEqualTo(' ');
        }
    }

    @Test
    void nothingOptedInAndFrozenAreSaid() {
        assertThat(render(List.of(), Optional.empty()))
                .endsWith("(no workload has qshard.io/replica-hosting=true)")
                .hasSize(3);
        List<String> frozen = render(DECISIONS, Optional.of("2 of 10 nodes have a fresh usage report"));
        assertThat(frozen.get(0))
                .isEqualTo("frozen: 2 of 10 nodes have a fresh usage report — no change is decided until it clears");
        assertThat(frozen).hasSize(1 + 2 + 1 + 5);
    }

    @Test
    void aClassWithoutFiguresGetsNoPoolLine() {
        List<String> lines = ReplicaStatusTable.lines(
                QshardConfig.defaults().tiers(),
                Map.of(PoolRule.FREE_POOL, POOLS.get(PoolRule.FREE_POOL)),
                List.of(),
                Optional.empty());
        assertThat(lines)
                .containsExactly(
                        "tier free: net pool -2.1 cores / 20.0 GiB (band 3.2 cores / 12.5 GiB), 0 hosted, "
                                + "replicas 0 (request 0)",
                        "(no workload has qshard.io/replica-hosting=true)");
    }

    /** The first twelve cells of a row; the WHY cell is cut to its first word. */
    private static List<String> cells(String row) {
        return List.of(row.split(" +")).subList(0, 12);
    }
}
