package io.qshard.core.replicas;

import static io.qshard.core.replicas.Scene.ALGORITHM;
import static io.qshard.core.replicas.Scene.hosted;
import static io.qshard.core.replicas.Scene.settings;
import static io.qshard.core.testing.Fixtures.node;
import static io.qshard.core.testing.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.Recommendation.Kind;
import io.qshard.core.snapshot.ClusterSnapshot;
import io.qshard.core.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Phases 1 and 2 on real profiles. Unless a test says otherwise: three nodes of 10 cores ({@link Scene#three}), prod
 * using 2000m each, so each node's batch pool is 8500 − 2000 − 500 = 6000m less its batch usage; hysteresis 0.02, band
 * = 0.02 × 30 000 = 600m; a new replica counts at its request (estimate factor 1.0).
 */
class ReplicaPlannerTest {
    private final ReplicaPlanner planner = new ReplicaPlanner(Fleet.ROOM, settings(0.02));

    private Recommendation only(ClusterSnapshot s, HostedWorkload w, List<PodRequest> other) {
        return planner.plan(s, List.of(w), other, ALGORITHM, 1)
                .recommendations()
                .get(0);
    }

    @Test
    void roomScalesUpToMax() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 6, 2, 2, 0, 1000);
        ClusterSnapshot s = Scene.three(2000).replicas(etl, 2, 1000).snapshot();
        // N_batch = 3 × 6000 − 2 × 1000 = 16 000; 4 more (max 6) leave 12 000 ≥ 600
        Recommendation r = only(s, etl, List.of());
        assertThat(r.raw()).isEqualTo(6);
        assertThat(r.kind()).isEqualTo(Kind.ROOM);
        assertThat(r.added()).isEqualTo(4);
        assertThat(r.netBefore()).isEqualTo(16_000);
        assertThat(r.netAfter()).isEqualTo(12_000);
        assertThat(r.band()).isEqualTo(600);
        assertThat(r.perReplica()).isEqualTo(1000);
        ReplicaPlanner.Plan plan = planner.plan(s, List.of(etl), List.of(), ALGORITHM, 1);
        assertThat(plan.before().get(PoolRule.BATCH_POOL).netCpu()).isEqualTo(16_000);
        assertThat(plan.before().get(PoolRule.BATCH_POOL).bandCpu()).isEqualTo(600);
    }

    @Test
    void roomIsLimitedByTheBand() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        ClusterSnapshot s = Scene.three(2000).replicas(etl, 2, 1000).snapshot();
        // nodes fit 5 + 5 + 6 = 16 more; the band allows 16 000 − 1000k ≥ 600 → k ≤ 15 → raw 17
        Recommendation r = only(s, etl, List.of());
        assertThat(r.raw()).isEqualTo(17);
        assertThat(r.netAfter()).isEqualTo(1000);
        // with a band of 0.2 × 30 000 = 6000: 16 000 − 1000k ≥ 6000 → k ≤ 10 → raw 12
        Recommendation wide = new ReplicaPlanner(Fleet.ROOM, settings(0.2))
                .plan(s, List.of(etl), List.of(), ALGORITHM, 1)
                .recommendations()
                .get(0);
        assertThat(wide.raw()).isEqualTo(12);
    }

    @Test
    void higherPriorityTakesTheRoomFirst() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 500, 0, 30, 2, 2, 0, 500);
        ClusterSnapshot s =
                Scene.three(2000).replicas(etl, 2, 1000).replicas(crawl, 2, 500).snapshot();
        // N_batch = 18 000 − 2000 = 16 000 (free's usage is not batch's); etl takes 15 → N_batch 1000
        // N_free after etl = 1000 − 2 × 500 = 0 < 600: crawl holds
        List<Recommendation> recs =
                planner.plan(s, List.of(etl, crawl), List.of(), ALGORITHM, 1).recommendations();
        assertThat(recs.get(0).raw()).isEqualTo(17);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(1).raw()).isEqualTo(2);
        // etl capped at 10 (8 more): N_batch 8000, N_free 7000 → 7000 − 500k ≥ 600 → k ≤ 12 → crawl 14
        HostedWorkload small = hosted("etl", "batch", 1000, 1, 10, 2, 2, 0, 1000);
        recs = planner.plan(s, List.of(small, crawl), List.of(), ALGORITHM, 1).recommendations();
        assertThat(recs.get(0).raw()).isEqualTo(10);
        assertThat(recs.get(1).raw()).isEqualTo(14);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.ROOM);
    }

    @Test
    void aPendingPodOfEqualPriorityTakesRoomBeforeAHostedScaleUp() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        ClusterSnapshot s = Scene.three(2000).replicas(etl, 2, 1000).snapshot();
        PodRequest job = pod("job", "batch", 5000, 1).build(); // priority 5000, as etl's template
        // the job goes first: 16 000 − 5000 = 11 000 → 11 000 − 1000k ≥ 600 → k ≤ 10 → raw 12
        assertThat(only(s, etl, List.of(job)).raw()).isEqualTo(12);
        // of lower priority it comes after etl's scale-up: raw 17 as without it
        PodRequest low = pod("low", "batch", 5000, 1).priority(100).build();
        assertThat(only(s, etl, List.of(low)).raw()).isEqualTo(17);
    }

    @Test
    void ownPendingReplicasThatDoNotFitArePending() {
        // 4000m replicas, 5 pending, none bound: one fits per node (6000m pool each) → 2 unplaced → raw 3
        HostedWorkload big = hosted("big", "batch", 4000, 1, 10, 5, 0, 5, 4000);
        Recommendation r = only(Scene.three(2000).snapshot(), big, List.of());
        assertThat(r.kind()).isEqualTo(Kind.PENDING);
        assertThat(r.unplaced()).isEqualTo(2);
        assertThat(r.raw()).isEqualTo(3);
        assertThat(r.why("batch")).isEqualTo("2 pending replicas do not fit the batch pool");
    }

    @Test
    void aFreeDeficitShedsFreeOnly() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 500, 0, 30, 3, 3, 0, 500);
        // prod uses 6000: batch pool per node 8500 − 6000 − 500 − 2 × 1000 = 0 → N_batch 0, no deficit, no room
        // free pool per node 0 − 500 = −500 → N_free −1500, D 1500 → crawl sheds ⌈1500 / 500⌉ = 3 → raw 0
        ClusterSnapshot s =
                Scene.three(6000).replicas(etl, 6, 1000).replicas(crawl, 3, 500).snapshot();
        List<Recommendation> recs =
                planner.plan(s, List.of(etl, crawl), List.of(), ALGORITHM, 1).recommendations();
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(6);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.SHED);
        assertThat(recs.get(1).raw()).isZero();
        assertThat(recs.get(1).deficit()).isEqualTo(1500);
        assertThat(recs.get(1).added()).isEqualTo(-3);
        assertThat(recs.get(1).netAfter()).isZero();
    }

    @Test
    void aBatchDeficitSendsFreeToItsMinAndBatchShedsTheRest() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1200);
        HostedWorkload crawl = hosted("crawl", "free", 500, 1, 30, 3, 3, 0, 500);
        // batch pool per node 8500 − 6000 − 500 − 2 × 1200 = −400 → N_batch −1200, D_batch 1200
        // free per node −400 − 500 = −900 → N_free −2700, D_free 2700
        // crawl: ⌈2700 / 500⌉ = 6, floored by min 1: shed min(3 − 1, 6) = 2 → raw 1
        // etl: ⌈1200 / 1200⌉ = 1 → raw 5
        ClusterSnapshot s =
                Scene.three(6000).replicas(etl, 6, 1200).replicas(crawl, 3, 500).snapshot();
        List<Recommendation> recs =
                planner.plan(s, List.of(etl, crawl), List.of(), ALGORITHM, 1).recommendations();
        assertThat(recs.get(1).raw()).isEqualTo(1);
        assertThat(recs.get(0).raw()).isEqualTo(5);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.SHED);
        assertThat(recs.get(0).why("batch"))
                .isEqualTo("batch pool over by 1.2 cores (net -1.2, band 0.6); 1.2 cores per replica → shed 1,"
                        + " lowest priority first");
    }

    @Test
    void theMinFloorsTheShedAndPendingReplicasGoFirst() {
        // as above, but etl asks min 5 and 2 of its 8 replicas are pending: D_batch 1200 needs ⌈1200/1200⌉ = 1
        // running replica, so shed = min(8 − 5, 2 pending + 1) = 3 → raw 5
        HostedWorkload etl = hosted("etl", "batch", 1000, 5, 40, 8, 6, 2, 1200);
        ClusterSnapshot s = Scene.three(6000).replicas(etl, 6, 1200).snapshot();
        Recommendation r = only(s, etl, List.of());
        assertThat(r.raw()).isEqualTo(5);
        assertThat(r.added()).isEqualTo(-3);
        // min 7: shed min(1, 3) = 1, a pending one; it frees nothing (netAfter = netBefore)
        HostedWorkload floored = hosted("etl", "batch", 1000, 7, 40, 8, 6, 2, 1200);
        Recommendation f = only(s, floored, List.of());
        assertThat(f.raw()).isEqualTo(7);
        assertThat(f.netAfter()).isEqualTo(f.netBefore()).isEqualTo(-1200);
    }

    @Test
    void theObservedUsagePerReplicaSetsHowManyAreShed() {
        // D_batch 1200 as above; ū 1200 (reported) sheds 1, the fallback ū = request 1000 would shed ⌈1200/1000⌉ = 2,
        // and a light ū of 300 sheds ⌈1200/300⌉ = 4
        ClusterSnapshot s = Scene.three(6000)
                .replicas(hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1200), 6, 1200)
                .snapshot();
        assertThat(only(s, hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1200), List.of())
                        .raw())
                .isEqualTo(5);
        assertThat(only(s, hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1000), List.of())
                        .raw())
                .isEqualTo(4);
        assertThat(only(s, hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 300), List.of())
                        .raw())
                .isEqualTo(2);
    }

    @Test
    void aHotNodeGetsNoVirtualReplicasAndItsRoomDoesNotCount() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        Scene scene = Scene.three(2000);
        // both replicas on n0 and n1; n2 hot: N_batch = 5000 + 5000 = 10 000, band 0.02 × 20 000 = 400
        ClusterSnapshot s = scene.replica(etl, "n0", 1000)
                .replica(etl, "n1", 1000)
                .hot("n2")
                .snapshot();
        // 10 000 − 1000k ≥ 400 → k ≤ 9 → raw 11 (n2's 6000m would have allowed 15)
        Recommendation r = only(s, etl, List.of());
        assertThat(r.raw()).isEqualTo(11);
        assertThat(r.band()).isEqualTo(400);
    }

    @Test
    void pastThePlacementCapTheRestAreNotPlanned() {
        // 3 nodes of 1000 cores, 10 000 Gi and 3000 pod slots, no prod: room for far more than 5000 replicas of
        // 10m / 1 Gi
        Fleet fleet = new Fleet();
        for (int i = 0; i < 3; i++) {
            fleet.node(
                    node("big" + i, 1_000_000, 10_000).batch(1_000_000, 10_000).pods(3000));
        }
        HostedWorkload first = hosted("first", "batch", 10, 0, 6000, 0, 0, 0, 10);
        HostedWorkload second = hosted("second", "batch", 10, 0, 6000, 0, 0, 0, 10);
        List<Recommendation> recs = planner.plan(fleet.snapshot(), List.of(first, second), List.of(), ALGORITHM, 1)
                .recommendations();
        assertThat(recs.get(0).raw()).isEqualTo(ReplicaPlanner.MAX_PLACEMENTS);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.NOT_PLANNED);
        assertThat(recs.get(1).raw()).isZero();
    }

    @Test
    void theWorkedExample() {
        // 10 nodes × 16 cores: peakCap 13.6, margin 0.8; prod's predicted peak 4.0 → batch pool 8.8/node, 88 cores;
        // band 0.02 × 160 = 3.2. etl (2 cores, ū 1.6) 20 bound → N_batch 88 − 32 = 56; crawl (free, 1 core, ū 1) 10
        HostedWorkload etl = hosted("etl", "batch", 2000, 2, 40, 20, 20, 0, 1600);
        HostedWorkload crawl = hosted("crawl", "free", 1000, 0, 30, 10, 10, 0, 1000);
        ClusterSnapshot s = new Scene(10, 16, 4000)
                .replicas(etl, 20, 1600)
                .replicas(crawl, 10, 1000)
                .snapshot();
        List<Recommendation> recs =
                planner.plan(s, List.of(etl, crawl), List.of(), ALGORITHM, 1).recommendations();
        // etl: 56 − 2k ≥ 3.2 → k ≤ 26, capped at max − C = 20 → raw 40, N_batch 16
        assertThat(recs.get(0).raw()).isEqualTo(40);
        assertThat(recs.get(0).netAfter()).isEqualTo(16_000);
        assertThat(recs.get(0).why("batch"))
                .isEqualTo("batch pool has room for 20 more after a 3.2-core band (net 56.0 cores, 2.0 cores per new"
                        + " replica)");
        // crawl: N_free = 16 − 10 = 6, but 0.4 core is left per node: no 1-core replica fits
        assertThat(recs.get(1).raw()).isEqualTo(10);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.STEADY);
    }

    @Test
    void withinAClassTheLeastImportantShedsFirst() {
        // prod 6000, 3 + 3 replicas at ū 1200: D_batch 1200, which one replica of either covers. important is first
        // in the list, cheap last: cheap sheds 1, important stays
        HostedWorkload important = hosted("important", "batch", 1000, 1, 40, 6, 6, 0, 1200);
        HostedWorkload cheap = hosted("cheap", "batch", 1000, 1, 40, 6, 6, 0, 1200);
        ClusterSnapshot s = Scene.three(6000)
                .replicas(important, 3, 1200)
                .replicas(cheap, 3, 1200)
                .snapshot();
        List<Recommendation> recs = planner.plan(s, List.of(important, cheap), List.of(), ALGORITHM, 1)
                .recommendations();
        assertThat(recs.get(1).kind()).isEqualTo(Kind.SHED);
        assertThat(recs.get(1).raw()).isEqualTo(5);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(6);
    }

    /**
     * Three nodes of 10 cores / 100 Gi, prod requesting 8000m / 40 Gi and using 2000m / 80 Gi, 3 replicas of m (100m /
     * 2 Gi, using 100m / 2 Gi each) per node: the batch pool has cpu to spare but memory per node 100 − 80 − 3 × 2 −
     * … is over, N_batch(memory) = −3 Gi.
     */
    private static ClusterSnapshot memoryShort(HostedWorkload m) {
        Fleet f = new Fleet();
        for (int i = 0; i < 3; i++) {
            f.node(node("n" + i, 10_000, 100).batch(10_000, 100));
            f.pod("n" + i, pod("prod" + i, "prod", 8000, 40).build());
            for (int k = 0; k < 3; k++) {
                f.pod("n" + i, pod(m.uid() + "-" + i + k, "batch", 100, 2).build());
            }
            f.usage("n" + i, Map.of("prod", Fleet.u(2000, 80), "batch", Fleet.u(300, 6)), Map.of());
        }
        return f.snapshot();
    }

    private static HostedWorkload workload(String name, long cpu, long memGi, int min, int current, Usage per) {
        return new HostedWorkload(
                new WorkloadKey("ns", "apps", "Deployment", name),
                name,
                "batch",
                pod(name, "batch", cpu, memGi).owner("Deployment", name).build(),
                new HostingSpec(true, min, 40),
                Bookkeeping.NONE,
                current,
                current,
                0,
                per,
                Scene.at(0));
    }

    @Test
    void aMemoryDeficitShedsByMemoryAndNamesIt() {
        HostedWorkload m = workload("m", 100, 2, 0, 9, Fleet.u(100, 2));
        ReplicaPlanner.Plan plan = planner.plan(memoryShort(m), List.of(m), List.of(), ALGORITHM, 1);
        assertThat(plan.before().get(PoolRule.BATCH_POOL).netCpu()).isPositive();
        assertThat(plan.before().get(PoolRule.BATCH_POOL).netMemory()).isEqualTo(-3 * Fleet.GI);
        Recommendation r = plan.recommendations().get(0);
        // k* = ⌈3 Gi / 2 Gi⌉ = 2
        assertThat(r.kind()).isEqualTo(Kind.SHED);
        assertThat(r.raw()).isEqualTo(7);
        assertThat(r.resource()).isEqualTo(1);
        assertThat(r.deficit()).isEqualTo(3 * Fleet.GI);
        assertThat(r.netAfter()).isEqualTo(Fleet.GI);
        assertThat(r.why("batch"))
                .startsWith("batch pool over by 3.0 GiB of memory (net -3.0 GiB, band ")
                .endsWith(" GiB); 2.0 GiB per replica → shed 2, lowest priority first");
    }

    @Test
    void aMemoryDeficitSkipsAWorkloadThatUsesNoMemory() {
        HostedWorkload m = workload("m", 100, 2, 0, 9, Fleet.u(100, 2));
        // less important than m, so considered first, but its replicas use ~0 memory: shedding it frees nothing
        HostedWorkload cpuOnly = workload("cpu-only", 500, 0, 0, 4, new Usage(500, 0));
        List<Recommendation> recs = planner.plan(memoryShort(m), List.of(m, cpuOnly), List.of(), ALGORITHM, 1)
                .recommendations();
        // not shed; it asks no memory, so the memory deficit does not stop it growing on the spare cpu either
        assertThat(recs.get(1).kind()).isEqualTo(Kind.ROOM);
        assertThat(recs.get(1).raw()).isGreaterThan(4);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.SHED);
        assertThat(recs.get(0).raw()).isEqualTo(7);
    }

    @Test
    void aWorkloadFreeingLittleOfTheDeficitIsShedOnlyAfterTheOnesThatFreeMuch() {
        HostedWorkload m = workload("m", 100, 2, 0, 9, Fleet.u(100, 2));
        // 2 replicas of 64 Mi can free at most 128 Mi < a tenth of the 3 Gi deficit: the first pass passes it over
        HostedWorkload small = workload("small", 100, 0, 0, 2, new Usage(100, 64L << 20));
        List<Recommendation> recs = planner.plan(memoryShort(m), List.of(m, small), List.of(), ALGORITHM, 1)
                .recommendations();
        assertThat(recs.get(1).kind()).isNotEqualTo(Kind.SHED);
        assertThat(recs.get(0).raw()).isEqualTo(7);
        // with m at its min, the second pass sheds small for what is left
        HostedWorkload floored = workload("m", 100, 2, 9, 9, Fleet.u(100, 2));
        recs = planner.plan(memoryShort(floored), List.of(floored, small), List.of(), ALGORITHM, 1)
                .recommendations();
        assertThat(recs.get(1).kind()).isEqualTo(Kind.SHED);
        assertThat(recs.get(1).raw()).isZero();
    }

    @Test
    void otherPendingPodsPastTheCapDoNotHideAWorkloadsUnplaceablePendingReplicas() {
        // more unplaceable other pending pods than the cap, then big (4000m, 5 pending, one fits per node)
        List<PodRequest> other = new ArrayList<>();
        for (int i = 0; i <= ReplicaPlanner.MAX_PLACEMENTS; i++) {
            other.add(pod("huge-" + i, "batch", 100_000, 1).build());
        }
        HostedWorkload big = hosted("big", "batch", 4000, 1, 10, 5, 0, 5, 4000);
        Recommendation r = only(Scene.three(2000).snapshot(), big, other);
        assertThat(r.kind()).isEqualTo(Kind.PENDING);
        assertThat(r.unplaced()).isEqualTo(2);
        assertThat(r.raw()).isEqualTo(3);
    }

    @Test
    void aTierWithoutAnAlgorithmIsNotPlannedWithTheReasonAndTheOthersArePlanned() {
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 500, 0, 30, 3, 3, 0, 500);
        ClusterSnapshot s =
                Scene.three(2000).replicas(etl, 2, 1000).replicas(crawl, 3, 500).snapshot();
        List<Recommendation> recs = planner.plan(
                        s, List.of(etl, crawl), List.of(), t -> "free".equals(t) ? null : ALGORITHM.apply(t), 1)
                .recommendations();
        assertThat(recs.get(0).kind()).isEqualTo(Kind.ROOM);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.NOT_PLANNED);
        assertThat(recs.get(1).raw()).isEqualTo(3);
        assertThat(recs.get(1).why("free")).isEqualTo("not planned this cycle: no scheduling algorithm for tier free");
    }

    @Test
    void replicasUsingMoreThanTheirRequestCostWhatTheyUseInTheBand() {
        // 2 bound replicas of 1000m observed using 1500m each: N_batch = 18 000 − 3000 = 15 000, band 600. Charged at
        // the request, 15 000 − 1000k ≥ 600 would allow 14 more; at ū, 15 000 − 1500k ≥ 600 allows 9 → raw 11
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1500);
        ClusterSnapshot s = Scene.three(2000).replicas(etl, 2, 1500).snapshot();
        Recommendation r = only(s, etl, List.of());
        assertThat(r.netBefore()).isEqualTo(15_000);
        assertThat(r.kind()).isEqualTo(Kind.ROOM);
        assertThat(r.raw()).isEqualTo(11);
        // at ū = request nothing changes: 14 more
        HostedWorkload exact = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        assertThat(only(Scene.three(2000).replicas(exact, 2, 1000).snapshot(), exact, List.of())
                        .raw())
                .isEqualTo(2 + 15);
    }
}
