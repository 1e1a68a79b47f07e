package io.qshard.core.plugins.defaultpreemption;

import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.algorithm.NodesToScore;
import io.qshard.core.algorithm.ScheduleResult;
import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.config.DefaultTiers;
import io.qshard.core.framework.CycleState;
import io.qshard.core.framework.EvictionCaps;
import io.qshard.core.framework.PluginContext;
import io.qshard.core.framework.PostFilterResult;
import io.qshard.core.framework.Profile;
import io.qshard.core.framework.Status;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.Taint;
import io.qshard.core.plugins.ShippedPlugins;
import io.qshard.core.preemption.CrossTierCaps;
import io.qshard.core.preemption.PreemptionArgs;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.snapshot.NodeState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The PostFilter's three answers with the prod profile's own filters. Nodes of 4000m; the pod asks 2000m at priority
 * 9000 (prod). Table:
 *
 * <pre>
 * case                                  cluster                                       answer
 * lower pods hold the room              n1: mid 3000m (7000)                         SUCCESS n1, victims [m1]
 * preemptionPolicy: Never               same                                          UNSCHEDULABLE, not eligible
 * only a taint rejects it               n1 tainted NoSchedule, mid 3000m              UNRESOLVABLE (clears nomination)
 * room held by higher or equal pods     n1: prod 3000m (9000)                        UNSCHEDULABLE, no node
 * the only victim is over the caps      n1: mid 3000m, caps already used on n1      UNSCHEDULABLE, CAPPED
 * a budget protects n1's victim         n1: mid 3000m app=web (budget 0 left),       SUCCESS n2, 1 node refused
 *                                       n2: mid 3000m
 * </pre>
 */
class DefaultPreemptionTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(
            Profile.build(DefaultTiers.named(DefaultTiers.PROD), ShippedPlugins.registry(), PluginContext.defaults()),
            NodesToScore.adaptive());
    private final PodRequest prod = pod("p", "prod", 2000, 0).build();

    private static ClusterSnapshot oneNode(UnaryOperator<NodeState> n, PodRequest... pods) {
        NodeState s = n.apply(node("n1", 4000, 8).state());
        for (PodRequest p : pods) {
            s = s.reserve(p.boundTo("n1"));
        }
        return ClusterSnapshot.empty().with(s);
    }

    private PostFilterResult run(ClusterSnapshot s, PodRequest pod, EvictionCaps caps) {
        ScheduleResult r = algorithm.schedule(s, pod, 1);
        assertThat(r.isPlaced()).as("fits nowhere without preemption").isFalse();
        return new DefaultPreemption(PreemptionArgs.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), caps)
                .postFilter(new CycleState(), pod, s, r.diagnosis(), algorithm::prepare);
    }

    @Test
    void lowerPodsHoldingTheRoomAreNamed() {
        PostFilterResult r = run(oneNode(n -> n, pod("m1", "mid", 3000, 0).build()), prod, EvictionCaps.NONE);
        assertThat(r.status().isSuccess()).isTrue();
        assertThat(r.nominatedNode()).isEqualTo("n1");
        assertThat(r.victims()).extracting(PodRequest::uid).containsExactly("m1");
    }

    @Test
    void aPodThatNeverPreemptsIsNotEligible() {
        PodRequest never = prod.withDetails(prod.details().withPreemption(true, null));
        PostFilterResult r = run(oneNode(n -> n, pod("m1", "mid", 3000, 0).build()), never, EvictionCaps.NONE);
        assertThat(r.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(r.status().message()).contains("preemptionPolicy is Never");
        assertThat(r.victims()).isEmpty();
    }

    @Test
    void whenNoRemovalCanHelpAnywhereTheAnswerIsUnresolvable() {
        PostFilterResult r = run(
                oneNode(
                        n -> node("n1", 4000, 8)
                                .taint("dedicated", "gpu", Taint.Effect.NO_SCHEDULE)
                                .state(),
                        pod("m1", "mid", 3000, 0).build()),
                prod,
                EvictionCaps.NONE);
        assertThat(r.status().code()).isEqualTo(Status.Code.UNRESOLVABLE);
    }

    @Test
    void roomHeldByPodsOfEqualPriorityIsNotTaken() {
        PostFilterResult r = run(oneNode(n -> n, pod("q1", "prod", 3000, 0).build()), prod, EvictionCaps.NONE);
        assertThat(r.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(r.status().message()).contains("no node where removing lower-priority pods makes room");
    }

    @Test
    void aNodeWhoseVictimABudgetProtectsIsRefused() {
        PodRequest guarded = pod("w1", "mid", 3000, 0)
                .build()
                .withTopology(
                        java.util.Map.of("app", "web"), io.qshard.core.model.PodAffinity.NONE, java.util.List.of());
        ClusterSnapshot s = ClusterSnapshot.empty()
                .with(node("n1", 4000, 8).state().reserve(guarded.boundTo("n1")))
                .with(node("n2", 4000, 8)
                        .state()
                        .reserve(pod("m2", "mid", 3000, 0).build().boundTo("n2")))
                .withBudgets(java.util.List.of(new io.qshard.core.model.DisruptionBudget(
                        "ns",
                        "web",
                        io.qshard.core.model.LabelSelector.of(java.util.Map.of("app", "web"), java.util.List.of()),
                        0,
                        java.util.Set.of())));
        PostFilterResult r = run(s, prod, EvictionCaps.NONE);
        assertThat(r.nominatedNode()).isEqualTo("n2");
        assertThat(r.pdbViolations()).isZero();
        assertThat(r.budgetRefused()).isEqualTo(1);
    }

    @Test
    void candidatesOverTheCrossTierCapsArePassedOver() {
        // per node 1 within 5 min, already used on n1 → its only candidate is over: 1 + 1 > 1
        CrossTierCaps caps = new CrossTierCaps(10, 1, 10, Duration.ofMinutes(5));
        caps.record(
                prod,
                new io.qshard.core.preemption.Victims(
                        "n1", java.util.List.of(pod("gone", "mid", 100, 0).build()), 0),
                NOW.minusSeconds(10));
        PostFilterResult r = run(oneNode(n -> n, pod("m1", "mid", 3000, 0).build()), prod, caps);
        assertThat(r.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(r.status().reasons()).containsExactly(DefaultPreemption.CAPPED);
    }
}
