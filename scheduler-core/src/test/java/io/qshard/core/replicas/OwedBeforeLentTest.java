package io.qshard.core.replicas;

import static io.qshard.core.replicas.Scene.ALGORITHM;
import static io.qshard.core.replicas.Scene.at;
import static io.qshard.core.replicas.Scene.hosted;
import static io.qshard.core.replicas.Scene.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.core.replicas.Recommendation.Kind;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Owed before lent" through {@link ReplicaPlanner#plan}: replicas above a workload's request are given back, and
 * scale-ups cancelled, for the requested replicas of another that the pool cannot place. Unless a test says otherwise:
 * three nodes of 10 cores, prod using 6000m each, so each node's batch pool is 8500 − 6000 − 500 = 2000m less its batch
 * usage, and the free pool is that less its free usage; band 600m; the memory pools have tens of GiB to spare.
 */
class OwedBeforeLentTest {
    private final ReplicaPlanner planner = new ReplicaPlanner(Fleet.ROOM, settings(0.02));

    /** {@code w} adopted with request {@code request}: its replicas above max(request, min) are lent. */
    private static HostedWorkload requested(HostedWorkload w, int request) {
        return new HostedWorkload(
                w.key(),
                w.uid(),
                w.tier(),
                w.template(),
                w.spec(),
                new Bookkeeping(request, null, null, null, null),
                w.current(),
                w.bound(),
                w.pending(),
                w.perReplica(),
                w.created());
    }

    private List<Recommendation> plan(ClusterSnapshot s, HostedWorkload... workloads) {
        return planner.plan(s, List.of(workloads), List.of(), ALGORITHM, 1).recommendations();
    }

    @Test
    void aFreeWorkloadAtItsMinIsPaidByJustEnoughLentBatchReplicas() {
        // etl: 6 bound (2 per node) at ū 1000 → batch pool 2000 − 2000 = 0 per node, N_batch 0: no deficit, no room;
        // request 3, so 3 are lent. crawl: at its min 2, both pending (500m each), N_free 0: neither fits.
        // owed claim 2 × 500 = 1000m > N_free 0 → etl gives back ⌈1000 / 1000⌉ = 1 → raw 5; crawl keeps 2.
        // Without the rule: etl STEADY 6, crawl PENDING 0.
        HostedWorkload etl = requested(hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1000), 3);
        HostedWorkload crawl = hosted("crawl", "free", 500, 2, 30, 2, 0, 2, 500);
        ClusterSnapshot s = Scene.three(6000).replicas(etl, 6, 1000).snapshot();
        List<Recommendation> recs = plan(s, etl, crawl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.RECLAIM);
        assertThat(recs.get(0).raw()).isEqualTo(5);
        assertThat(recs.get(0).added()).isEqualTo(-1);
        assertThat(recs.get(0).why("batch"))
                .isEqualTo("owed before lent: gives back 1 lent replica (above its request 3) for 2 pending requested"
                        + " replicas of free Deployment ns/crawl");
        assertThat(recs.get(1).kind()).isEqualTo(Kind.PENDING);
        assertThat(recs.get(1).raw()).isEqualTo(2);
        assertThat(recs.get(1).unplaced()).isEqualTo(2);
        assertThat(recs.get(1).why("free"))
                .isEqualTo("2 pending replicas do not fit the free pool; owed before lent: 2 kept while lent replicas"
                        + " are given back");
    }

    @Test
    void withNothingLentTheClaimantShedsItsPendingAsBefore() {
        // as above, but etl's request is its current 6: nothing lent → etl STEADY 6, crawl PENDING 2 − 2 = 0
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 500, 2, 30, 2, 0, 2, 500);
        ClusterSnapshot s = Scene.three(6000).replicas(etl, 6, 1000).snapshot();
        List<Recommendation> recs = plan(s, etl, crawl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(6);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.PENDING);
        assertThat(recs.get(1).raw()).isZero();
        assertThat(recs.get(1).why("free")).isEqualTo("2 pending replicas do not fit the free pool");
        // lent 1 only (request 5) pays 1000m of the 1000m claim: the same as the first test
        // lent 0 by min (request 3, min 6) pays nothing
        HostedWorkload floored = requested(hosted("etl", "batch", 1000, 6, 40, 6, 6, 0, 1000), 3);
        recs = plan(s, floored, crawl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(1).raw()).isZero();
    }

    @Test
    void aClaimantAboveItsRequestHasNoClaim() {
        // etl 6 bound at ū 750 → batch pool 2000 − 1500 = 500 per node; request 3, so 3 lent.
        // crawl: request 2, current 4, 2 bound on n0 and n1 (500m each) → free pool 0, 0, 500; of its 2 pending one
        // fits on n2, 1 unplaced. current 4 > max(2, 1): its pending are lent, shed as before → raw 3; etl keeps 6.
        HostedWorkload etl = requested(hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 750), 3);
        HostedWorkload crawl = hosted("crawl", "free", 500, 1, 30, 4, 2, 2, 500);
        ClusterSnapshot s =
                Scene.three(6000).replicas(etl, 6, 750).replicas(crawl, 2, 500).snapshot();
        List<Recommendation> recs = plan(s, etl, requested(crawl, 2));
        assertThat(recs.get(1).kind()).isEqualTo(Kind.PENDING);
        assertThat(recs.get(1).unplaced()).isEqualTo(1);
        assertThat(recs.get(1).raw()).isEqualTo(3);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(6);
        // with request 4 the unplaced one is owed: claim 500m > N_free 0 → etl gives back ⌈500 / 750⌉ = 1
        recs = plan(s, etl, requested(crawl, 4));
        assertThat(recs.get(1).raw()).isEqualTo(4);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.RECLAIM);
        assertThat(recs.get(0).raw()).isEqualTo(5);
    }

    @Test
    void theLeastImportantLentReplicasAreGivenBackFirst() {
        // gold and lead: 3 bound each (1 per node) at ū 1000 → batch pool 0 per node; request 1 each, so 2 lent each.
        // crawl at its min 3, all pending: claim 3 × 500 = 1500m → lead (last, least important) gives ⌈1500 / 1000⌉
        // = 2 → raw 1; gold keeps 3
        HostedWorkload gold = requested(hosted("gold", "batch", 1000, 1, 3, 3, 3, 0, 1000), 1);
        HostedWorkload lead = requested(hosted("lead", "batch", 1000, 1, 3, 3, 3, 0, 1000), 1);
        HostedWorkload crawl = hosted("crawl", "free", 500, 3, 30, 3, 0, 3, 500);
        ClusterSnapshot s = Scene.three(6000)
                .replicas(gold, 3, 1000)
                .replicas(lead, 3, 1000)
                .snapshot();
        List<Recommendation> recs = plan(s, gold, lead, crawl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(3);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.RECLAIM);
        assertThat(recs.get(1).raw()).isEqualTo(1);
        // the other order: gold is the least important and gives them
        recs = plan(s, lead, gold, crawl);
        assertThat(recs.get(0).raw()).isEqualTo(3);
        assertThat(recs.get(1).raw()).isEqualTo(1);
        // 5 pending at min 5: claim 2500m → lead gives its 2 (2000m), gold 1 more (⌈500 / 1000⌉) → 1 and 2
        HostedWorkload five = hosted("crawl", "free", 500, 5, 30, 5, 0, 5, 500);
        recs = plan(s, gold, lead, five);
        assertThat(recs.get(1).raw()).isEqualTo(1);
        assertThat(recs.get(0).raw()).isEqualTo(2);
        assertThat(recs.get(2).raw()).isEqualTo(5);
    }

    @Test
    void aBatchClaimIsPaidByLentMidReplicasAndMidGetsNoRoom() {
        // api (mid): 6 bound (2 per node) at ū 500, request 3 → 3 lent; mid usage 1000 per node.
        // etl (batch): current 4 = its request, 3 bound (1 per node) at ū 1000, 1 pending.
        // batch pool per node 8500 − 6000 − 1000 (mid) − 500 − 1000 = 0 → etl's pending does not fit: claim 1000m.
        // mid pool per node 8500 − 6000 − 500 − 1000 = 1000 would give api room, but mid ⊇ batch: no ROOM, and api
        // gives back ⌈1000 / 500⌉ = 2 → raw 4; etl keeps 4. Without the rule: api ROOM, etl PENDING 3.
        HostedWorkload api = requested(hosted("api", "mid", 500, 1, 40, 6, 6, 0, 500), 3);
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 4, 3, 1, 1000);
        ClusterSnapshot s =
                Scene.three(6000).replicas(api, 6, 500).replicas(etl, 3, 1000).snapshot();
        List<Recommendation> recs = plan(s, api, etl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.RECLAIM);
        assertThat(recs.get(0).raw()).isEqualTo(4);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.PENDING);
        assertThat(recs.get(1).raw()).isEqualTo(4);
        // a free claim cannot be paid by mid? It can: mid ⊇ free. But a mid claim is never paid by batch (below).
        assertThat(OwedBeforeLent.pays(
                        io.qshard.core.model.PoolRule.BATCH_POOL, io.qshard.core.model.PoolRule.MID_POOL))
                .isFalse();
    }

    @Test
    void owedPendingReplicasArePlacedBeforeLentScaleUps() {
        // prod 2000: batch pool 6000 per node. crawl (free, at its min 2, both pending, 4000m each) is placed before
        // etl's scale-up: on two nodes (free pool 5000, 5000, 6000). Free usage is not batch's, so etl still grows to
        // the band: 16 000 − 1000k ≥ 600 → 15 more → 17. Without the rule etl's 15 go first and no node keeps 4000m
        // of free pool: crawl PENDING 0.
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 4000, 2, 2, 2, 0, 2, 4000);
        ClusterSnapshot s = Scene.three(2000).replicas(etl, 2, 1000).snapshot();
        List<Recommendation> recs = plan(s, etl, crawl);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.ROOM);
        assertThat(recs.get(0).raw()).isEqualTo(17);
        assertThat(recs.get(1).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(1).raw()).isEqualTo(2);
    }

    @Test
    void whileAClaimExistsTheEnclosingClassesGetNoRoom() {
        // crawl's 7000m replicas fit no node (free pool ≤ 6000 each): a claim of 2. etl (batch ⊋ free) gets no room;
        // nothing is lent and the net free pool (16 000) could hold 14 000, so nothing is reclaimed: crawl sheds its
        // pending as before (PENDING 0). spare (free, the claim's own class) is not barred: the owed replicas went
        // first already → ROOM. Without the rule: etl ROOM 17.
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 2, 2, 0, 1000);
        HostedWorkload crawl = hosted("crawl", "free", 7000, 2, 2, 2, 0, 2, 7000);
        HostedWorkload spare = hosted("spare", "free", 500, 1, 2, 1, 1, 0, 500);
        ClusterSnapshot s =
                Scene.three(2000).replicas(etl, 2, 1000).replicas(spare, 1, 500).snapshot();
        List<Recommendation> recs = plan(s, etl, crawl, spare);
        assertThat(recs.get(0).kind()).isEqualTo(Kind.STEADY);
        assertThat(recs.get(0).raw()).isEqualTo(2);
        assertThat(recs.get(0).why("batch"))
                .isEqualTo("owed before lent: no scale-up while 2 requested replicas (Deployment ns/crawl first) cannot"
                        + " be placed");
        assertThat(recs.get(1).kind()).isEqualTo(Kind.PENDING);
        assertThat(recs.get(1).raw()).isZero();
        assertThat(recs.get(2).kind()).isEqualTo(Kind.ROOM);
        assertThat(recs.get(2).raw()).isEqualTo(2);
    }

    @Test
    void theGovernorTreatsAReclaimAsADown() {
        // a RECLAIM to 1 from 6 goes down at once, by at most a step; within the min interval it holds
        HostedWorkload etl = hosted("etl", "batch", 1000, 1, 40, 6, 6, 0, 1000);
        Recommendation reclaim = new Recommendation(etl.key(), 1, Kind.RECLAIM, 0, 0, 600, 5000, 1000, 0, -5, 0, "r");
        ReplicaGovernor governor = new ReplicaGovernor(settings(0.02));
        ReplicaDecision down =
                governor.decide(Scene.with(etl, 6, new Bookkeeping(6, null, null, null, null)), reclaim, at(0));
        // step(6) = max(4, ⌈50 % × 6⌉) = 4 → 6 − 4 = 2
        assertThat(down.direction()).isEqualTo(ReplicaDecision.Direction.DOWN);
        assertThat(down.next()).isEqualTo(2);
        ReplicaDecision held = new ReplicaGovernor(settings(0.02))
                .decide(Scene.with(etl, 6, new Bookkeeping(6, 6, 5, at(0), null)), reclaim, at(30));
        assertThat(held.direction()).isEqualTo(ReplicaDecision.Direction.HOLD);
        assertThat(held.next()).isNull();
    }
}
