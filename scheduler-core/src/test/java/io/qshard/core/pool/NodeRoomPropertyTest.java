package io.qshard.core.pool;

import static io.qshard.core.testing.Extremes.pod;
import static io.qshard.core.testing.Extremes.requests;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.Node;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Resources;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import io.qshard.core.testing.Extremes;
import io.qshard.core.testing.Extremes.NodeSetup;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link NodeRoom} and {@link PoolTotals} on nodes whose allocatable, pods' requests and usage figures lie anywhere
 * from 0 to {@link Long#MAX_VALUE}: no exception, a node whose pods request all of a component has no room left for
 * it in any tier, placing a pod never makes room, the batch pool is never negative, and totals never wrap.
 */
class NodeRoomPropertyTest {
    private static final NodeRoom ROOM = new NodeRoom(PoolConfig.defaults());
    private static final int[] COMPONENTS = {
        NodeState.CPU, NodeState.MEMORY, NodeState.PODS, NodeState.BATCH_CPU, NodeState.BATCH_MEMORY
    };

    @Property(tries = 500)
    void aNodeWhosePodsRequestAllOfAComponentHasNoRoomForIt(@ForAll("nodes") NodeSetup setup) {
        NodeState node = setup.state();
        for (int c : COMPONENTS) {
            boolean full = setup.exactRequested(c).compareTo(BigInteger.valueOf(node.allocatable(c))) >= 0;
            for (PoolRule rule : PoolRule.values()) {
                long room = ROOM.room(rule, node, c);
                if (full) {
                    assertThat(room)
                            .as("%s room for component %d of a full node", rule, c)
                            .isLessThanOrEqualTo(0);
                }
                long requested = Extremes.clamp(setup.exactRequested(c)); // Σ requests, saturated
                assertThat(room)
                        .as("%s room for component %d is at most what a kubelet admits", rule, c)
                        .isLessThanOrEqualTo(Extremes.difference(node.allocatable(c), requested));
            }
        }
    }

    @Property(tries = 500)
    void placingAPodNeverMakesRoom(@ForAll("nodes") NodeSetup setup, @ForAll("placed") PodRequest placed) {
        NodeState before = setup.state();
        NodeState after = before.reserve(placed.boundTo("n"));
        for (PoolRule rule : PoolRule.values()) {
            Resources was = ROOM.roomFor(rule, before);
            Resources is = ROOM.roomFor(rule, after);
            assertThat(was.minus(is).isNonNegative())
                    .as("%s room before %s, after %s", rule, was, is)
                    .isTrue();
        }
    }

    @Property(tries = 500)
    void theBatchPoolIsNeverNegativeAndRoomForIsRoom(@ForAll("nodes") NodeSetup setup) {
        NodeState node = setup.state();
        Resources pool = ROOM.batchPool(node);
        assertThat(pool.isNonNegative()).isTrue();
        for (PoolRule rule : PoolRule.values()) {
            Resources all = ROOM.roomFor(rule, node);
            assertThat(all)
                    .isEqualTo(new Resources(
                            ROOM.room(rule, node, NodeState.CPU),
                            ROOM.room(rule, node, NodeState.MEMORY),
                            ROOM.room(rule, node, NodeState.PODS),
                            ROOM.room(rule, node, NodeState.BATCH_CPU),
                            ROOM.room(rule, node, NodeState.BATCH_MEMORY)));
        }
    }

    @Property(tries = 200)
    void poolTotalsAreNeverNegativeAndHoldEachNode(
            @ForAll("nodes") NodeSetup a, @ForAll("nodes") NodeSetup b, @ForAll("rules") PoolRule rule) {
        NodeState first = a.state();
        NodeState second = b.state().withNode(new Node("m", Map.of(), List.of(), b.allocatable(), b.real(), false));
        ClusterSnapshot snapshot = ClusterSnapshot.empty().with(first).with(second);
        PoolTotals t = PoolTotals.of(snapshot, rule, ROOM);
        boolean batch = rule.requestStyle() == PoolRule.RequestStyle.BATCH_EXTENDED;
        for (NodeState n : List.of(first, second)) {
            assertThat(t.roomMilliCpu())
                    .isGreaterThanOrEqualTo(
                            Math.max(0, ROOM.room(rule, n, batch ? NodeState.BATCH_CPU : NodeState.CPU)));
            assertThat(t.roomMemory())
                    .isGreaterThanOrEqualTo(
                            Math.max(0, ROOM.room(rule, n, batch ? NodeState.BATCH_MEMORY : NodeState.MEMORY)));
            assertThat(t.capacityMilliCpu()).isGreaterThanOrEqualTo(n.tierCapacity(rule, 0));
            assertThat(t.capacityMemory()).isGreaterThanOrEqualTo(n.tierCapacity(rule, 1));
            assertThat(t.requestedMilliCpu()).isGreaterThanOrEqualTo(n.tierUsed(rule, 0));
            assertThat(t.usageMilliCpu()).isGreaterThanOrEqualTo(n.usageOf(rule, 0));
            assertThat(t.usageMemory()).isGreaterThanOrEqualTo(n.usageOf(rule, 1));
        }
    }

    @Example
    void twoProdPodsAskingTheTopOfTheRangeLeaveNoRoom() {
        // found by aNodeWhosePodsRequestAllOfAComponentHasNoRoomForIt: two pods bound with cpu 1e18 (decoded as
        // 9223372036854775807m) wrapped the node's Σ requests to -2m, and prod saw 64002m of room on a 64-core node
        NodeState node = NodeState.of(
                        Node.of("n", Map.of(), List.of(), new Resources(64_000, 1L << 38, 110, 0, 0), false))
                .reserve(pod("a", "prod", requests(PoolRule.ALLOCATABLE, Long.MAX_VALUE, 0))
                        .boundTo("n"))
                .reserve(pod("b", "prod", requests(PoolRule.ALLOCATABLE, Long.MAX_VALUE, 0))
                        .boundTo("n"));
        assertThat(node.requested(NodeState.CPU)).isEqualTo(Long.MAX_VALUE);
        for (PoolRule rule : PoolRule.values()) {
            assertThat(ROOM.room(rule, node, NodeState.CPU)).as(rule.name()).isLessThan(0);
        }
        assertThat(node.unreserve("b").requested(NodeState.CPU)).isEqualTo(Long.MAX_VALUE);
        assertThat(node.unreserve("b").unreserve("a").requested(NodeState.CPU)).isZero();
    }

    @Provide
    Arbitrary<NodeSetup> nodes() {
        return Extremes.nodes(6);
    }

    @Provide
    Arbitrary<PodRequest> placed() {
        return Extremes.anyPod().map(p -> pod("placed-" + p.uid(), p.tier(), p.requests()));
    }

    @Provide
    Arbitrary<PoolRule> rules() {
        return Arbitraries.of(PoolRule.values());
    }
}
