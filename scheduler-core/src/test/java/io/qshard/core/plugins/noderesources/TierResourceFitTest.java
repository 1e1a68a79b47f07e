package io.qshard.core.plugins.noderesources;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.Status;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.pool.PoolConfig;
import io.qshard.core.snapshot.NodeState;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Node 10000m / 100Gi, batch advertised 4000m / 20Gi, with a prod pod 6000m/60Gi and a mid pod 1000m/10Gi.
 * Rooms (see NodeRoomTest): prod 3000m/30Gi, mid 1000m/15Gi, batch 1000m/15Gi (pool: 8500−6000−1000−500),
 * free = batch here (no batch/free pods yet).
 */
class TierResourceFitTest {
    private final TierResourceFit fit = new TierResourceFit(new NodeRoom(PoolConfig.defaults()));
    private final NodeState node = node("n", 10_000, 100)
            .batch(4000, 20)
            .state()
            .reserve(pod("p", "prod", 6000, 60).build())
            .reserve(pod("m", "mid", 1000, 10).build());

    @ParameterizedTest(name = "{0} {1}m {2}Gi -> {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                "prod;  3000; 30; ", // exactly the room
                "prod;  3001; 30; Insufficient cpu",
                "prod;  3001; 31; Insufficient cpu|Insufficient memory",
                "mid;   1000; 15; ",
                "mid;   1001;  1; Insufficient cpu (mid pool)",
                "batch; 1000; 15; ",
                "batch; 1001; 16; Insufficient qshard.io/batch-cpu (batch pool)|Insufficient qshard.io/batch-memory (batch pool)",
                "free;   500;  1; ",
                "free;  1001;  1; Insufficient qshard.io/batch-cpu (free pool)",
            })
    void fitsTheTiersRoom(String tier, long cpu, long memGi, String reasons) {
        Status s = fit.filter(new CycleState(), pod("new", tier, cpu, memGi).build(), node);
        if (reasons == null) {
            assertThat(s).isSameAs(Status.SUCCESS);
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).isEqualTo(List.of(reasons.split("\\|")));
            assertThat(s.plugin()).isEqualTo(TierResourceFit.NAME);
        }
    }

    @ParameterizedTest(name = "pods={0}")
    @CsvSource({"2, true", "3, false"})
    void podSlotsCount(long podsAllowed, boolean fullAfterTwo) {
        NodeState small = node("s", 10_000, 100)
                .pods(podsAllowed)
                .state()
                .reserve(pod("a", "prod", 1, 0).build())
                .reserve(pod("b", "prod", 1, 0).build());
        Status s = fit.filter(new CycleState(), pod("c", "prod", 1, 0).build(), small);
        assertThat(s.reasons().contains("Too many pods")).isEqualTo(fullAfterTwo);
    }
}
