package io.qshard.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalancerTest {
    private static Map<String, Long> equalWeights(int n) {
        Map<String, Long> w = new HashMap<>();
        for (int i = 0; i < n; i++) {
            w.put("n" + i, 1000L);
        }
        return w;
    }

    @Test
    void twoToThreeShardsMovesAThirdAndNoMore() {
        Map<Integer, Set<String>> now =
                Map.of(0, Set.of("n0", "n1", "n2", "n3", "n4", "n5"), 1, Set.of("n6", "n7", "n8", "n9", "n10", "n11"));
        Rebalancer.Plan p = Rebalancer.plan(now, equalWeights(12), 3, Integer.MAX_VALUE);
        // 12 equal nodes in 3 shards: 4 each; shard 2 takes 2 from each of the others — 4 moves, the minimum
        assertThat(p.moves()).hasSize(4).allMatch(m -> m.to() == 2);
        assertThat(p.target().values()).allMatch(s -> s.size() == 4);
        assertThat(p.complete()).isTrue();
        Set<String> all = new HashSet<>();
        p.target().values().forEach(all::addAll);
        assertThat(all).hasSize(12);
    }

    @Test
    void aBalancedMapDoesNotMoveAndMaxMovesStopsEarly() {
        Map<Integer, Set<String>> now = Map.of(0, Set.of("n0", "n1"), 1, Set.of("n2", "n3"));
        assertThat(Rebalancer.plan(now, equalWeights(4), 2, 10).moves()).isEmpty();
        Map<Integer, Set<String>> lopsided = Map.of(0, Set.of("n0", "n1", "n2", "n3"), 1, Set.of());
        Rebalancer.Plan p = Rebalancer.plan(lopsided, equalWeights(4), 2, 1);
        assertThat(p.moves()).hasSize(1);
        assertThat(p.complete()).isFalse();
    }

    @Test
    void fewerShardsMoveEveryNodeOfTheRemovedOnes() {
        Map<Integer, Set<String>> now = Map.of(0, Set.of("n0"), 1, Set.of("n1"), 2, Set.of("n2", "n3"));
        Rebalancer.Plan p = Rebalancer.plan(now, equalWeights(4), 2, Integer.MAX_VALUE);
        assertThat(p.target()).containsOnlyKeys(0, 1);
        assertThat(p.target().get(0).size() + p.target().get(1).size()).isEqualTo(4);
        assertThat(p.target().get(0)).hasSize(2);
    }

    @Test
    void heavyNodesCountForMore() {
        Map<String, Long> w = Map.of("big", 8000L, "a", 1000L, "b", 1000L, "c", 1000L);
        Rebalancer.Plan p = Rebalancer.plan(Map.of(0, Set.of("big", "a", "b", "c"), 1, Set.of()), w, 2, 10);
        // best split: {big} vs {a, b, c}: 8000 vs 3000 — moving 'big' alone gives |11000 − 2 × 8000| = 5000, the least
        assertThat(p.target().get(1)).containsExactly("big");
        assertThat(Rebalancer.leastLoaded(p.target(), 3, w)).isEqualTo(2);
    }
}
