package io.qshard.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardMapViewTest {
    // 2 → 3 shards: n3 moves 0 → 2, n4 moves 1 → 2
    private static final Map<Integer, Set<String>> NOW = Map.of(0, Set.of("n1", "n3"), 1, Set.of("n2", "n4"));
    private static final Map<Integer, Set<String>> NEXT =
            Map.of(0, Set.of("n1"), 1, Set.of("n2"), 2, Set.of("n3", "n4"));

    private static ShardMapView map(ShardPhase phase) {
        return new ShardMapView("batch", 3, 2, phase, NOW, phase == ShardPhase.STABLE ? Map.of() : NEXT);
    }

    @Test
    void eachPhaseHasItsActiveSetsAndNoNodeIsEverActiveInTwoShards() {
        assertThat(map(ShardPhase.STABLE).activeNodes(0)).containsExactlyInAnyOrder("n1", "n3");
        assertThat(map(ShardPhase.RELEASING).activeNodes(0))
                .as("keeps only what it keeps")
                .containsExactly("n1");
        assertThat(map(ShardPhase.RELEASING).activeNodes(2))
                .as("acquires nothing yet")
                .isEmpty();
        assertThat(map(ShardPhase.ACQUIRING).activeNodes(2)).containsExactlyInAnyOrder("n3", "n4");
        // across the phases an instance may see (its own or its neighbour's, one step apart), the sets stay disjoint
        ShardPhase[] order = ShardPhase.values();
        for (int i = 0; i < order.length; i++) {
            for (int j = Math.max(0, i - 1); j <= i; j++) {
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        if (a != b) {
                            Set<String> both =
                                    new java.util.HashSet<>(map(order[i]).activeNodes(a));
                            both.retainAll(map(order[j]).activeNodes(b));
                            assertThat(both)
                                    .as(order[i] + "/" + a + " vs " + order[j] + "/" + b)
                                    .isEmpty();
                        }
                    }
                }
            }
        }
        assertThat(map(ShardPhase.STABLE).shardOf("n4")).isEqualTo(1);
        assertThat(map(ShardPhase.RELEASING).ownershipShards())
                .as("pods stay with the shards that have nodes")
                .isEqualTo(2);
        assertThat(map(ShardPhase.ACQUIRING).ownershipShards()).isEqualTo(3);
        assertThat(map(ShardPhase.STABLE).validate()).isEmpty();
        assertThat(map(ShardPhase.RELEASING).validate()).isEmpty();
    }

    @Test
    void badMapsNameTheirProblems() {
        assertThat(new ShardMapView(
                                "batch", 2, 1, ShardPhase.STABLE, Map.of(0, Set.of("n1"), 1, Set.of("n1")), Map.of())
                        .validate())
                .containsExactly("spec.assignment: node n1 is in shards 0 and 1");
        assertThat(new ShardMapView("batch", 2, 0, ShardPhase.STABLE, NOW, Map.of()).validate())
                .containsExactly("spec.epoch is missing or below 1");
        assertThat(new ShardMapView("batch", 0, 1, ShardPhase.STABLE, Map.of(), Map.of()).validate())
                .contains("spec.shards 0 is out of range 1..64");
        assertThat(new ShardMapView("batch", 2, 1, ShardPhase.RELEASING, NOW, Map.of()).validate())
                .containsExactly("spec.target is empty while spec.phase is RELEASING");
        assertThat(new ShardMapView("batch", 2, 1, ShardPhase.STABLE, Map.of(5, Set.of("n9")), Map.of()).validate())
                .containsExactly("spec.assignment names shard 5, outside 0..1");
    }
}
