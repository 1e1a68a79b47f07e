package io.qshard.core.replicas;

import io.qshard.core.algorithm.SchedulingAlgorithm;
import io.qshard.core.model.PodRequest;
import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Saturating;
import io.qshard.core.pool.NodeRoom;
import io.qshard.core.snapshot.ClusterSnapshot;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Phases 1 and 2 of replica hosting's control law (docs/architecture.md, "Replica hosting"): shed the deficits of
 * each borrowing class lowest priority first, then place each workload's pending replicas and add replicas while the
 * tier's own algorithm places them and the class's net pool stays above the band, highest priority first; then
 * "owed before lent" ({@link OwedBeforeLent}): replicas above a workload's request are given back, and scale-ups
 * cancelled, for the requested replicas of another that the pool cannot place. Reads only
 * its arguments; stateless and thread-safe (each call works on its own copy of the snapshot).
 */
public final class ReplicaPlanner {
    /** At most this many virtual placements per plan; the rest are {@link Recommendation.Kind#NOT_PLANNED}. */
    public static final int MAX_PLACEMENTS = 5000;

    private static final PoolRule[] BORROWING = {PoolRule.MID_POOL, PoolRule.BATCH_POOL, PoolRule.FREE_POOL};

    /**
     * A plan.
     *
     * @param recommendations one per workload, in the order given
     * @param before          each borrowing class's figures before the plan
     */
    public record Plan(List<Recommendation> recommendations, Map<PoolRule, PoolBalance.Figures> before) {}

    private final NodeRoom room;
    private final HostingSettings settings;

    public ReplicaPlanner(NodeRoom room, HostingSettings settings) {
        this.room = room;
        this.settings = settings;
    }

    /**
     * @param snapshot     the cluster as viewed (bound pods, usage, predictions)
     * @param workloads    the hosted workloads, most important first ({@link HostedWorkload#importance})
     * @param otherPending the borrowing tiers' pending pods that no hosted workload owns, most important first; they
     *                     take room before hosted scale-ups of the same priority
     * @param algorithms   the scheduling algorithm of each tier, by tier name
     * @param seed         the algorithms' tie-break seed
     */
    public Plan plan(
            ClusterSnapshot snapshot,
            List<HostedWorkload> workloads,
            List<PodRequest> otherPending,
            Function<String, SchedulingAlgorithm> algorithms,
            long seed) {
        PoolBalance balance = new PoolBalance(snapshot, room, settings.hysteresis());
        Map<PoolRule, PoolBalance.Figures> before = new EnumMap<>(PoolRule.class);
        for (PoolRule rule : BORROWING) {
            before.put(rule, balance.figures(rule));
        }
        Recommendation[] out = new Recommendation[workloads.size()];
        shed(workloads, balance, out);
        new Placement(snapshot, balance, algorithms, seed).run(workloads, otherPending, out);
        OwedBeforeLent.settle(workloads, out, balance);
        return new Plan(List.of(out), Map.copyOf(before));
    }

    /**
     * Phase 1: per class, D(r) = max(0, −N(r)); least important first, each workload sheds min(C − min, P + k*),
     * k* = max over the resources r it is material for of ⌈D(r) / ū(r)⌉, and frees (shed − P)⁺ × ū(r) of each deficit.
     * A workload is material for r when D(r) &gt; 0, its ū(r) is more than ~0 ({@link #NEGLIGIBLE}) and, in the first
     * pass, shedding down to its min would free at least a tenth of D(r); a second pass, least important first again,
     * lets the workloads left out by the tenth rule cover what is left. So a memory deficit does not send cpu-only
     * workloads to their min for nothing.
     */
    private static void shed(List<HostedWorkload> workloads, PoolBalance balance, Recommendation[] out) {
        EnumMap<PoolRule, long[]> deficit = new EnumMap<>(PoolRule.class);
        EnumMap<PoolRule, long[]> net = new EnumMap<>(PoolRule.class);
        for (PoolRule rule : BORROWING) {
            long[] n = {balance.net(rule, 0), balance.net(rule, 1)};
            net.put(rule, n);
            deficit.put(rule, new long[] {
                Math.max(0, Saturating.subtract(0, n[0])), Math.max(0, Saturating.subtract(0, n[1]))
            });
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int i = workloads.size() - 1; i >= 0; i--) {
                HostedWorkload w = workloads.get(i);
                PoolRule rule = w.template().poolRule();
                if (rule == PoolRule.ALLOCATABLE || out[i] != null) {
                    continue;
                }
                out[i] = shedOne(w, deficit.get(rule), net.get(rule), balance, pass == 0);
            }
        }
    }

    /** ū(r) at or below this (1 milli-core, 1 MiB) counts as not using r at all. */
    static final long[] NEGLIGIBLE = {1, 1L << 20};

    /** One workload's shed, updating the class's deficits and nets; null when it sheds nothing. */
    private static Recommendation shedOne(
            HostedWorkload w, long[] d, long[] net, PoolBalance balance, boolean materialOnly) {
        long[] per = {
            Math.max(1, w.perReplica().milliCpu()), Math.max(1, w.perReplica().memoryBytes())
        };
        long room = Math.max(0, w.current() - w.spec().min());
        long needed = 0;
        int binding = -1;
        for (int r = 0; r < 2; r++) {
            if (d[r] <= 0 || per[r] <= NEGLIGIBLE[r]) {
                continue;
            }
            if (materialOnly && times(room, per[r]) < d[r] / 10) {
                continue;
            }
            long k = ceilDiv(d[r], per[r]);
            if (k > needed) {
                needed = k;
                binding = r;
            }
        }
        if (binding < 0) {
            return null;
        }
        int pending = Math.max(0, w.pending());
        long shed = Math.min(room, Saturating.add(pending, needed));
        if (shed <= 0) {
            return null;
        }
        long running = Math.max(0, shed - pending);
        long deficitBefore = d[binding];
        long netBefore = net[binding];
        for (int r = 0; r < 2; r++) {
            d[r] = Math.max(0, d[r] - times(running, per[r]));
            net[r] = Saturating.add(net[r], times(running, per[r]));
        }
        return new Recommendation(
                w.key(),
                (int) (w.current() - shed),
                Recommendation.Kind.SHED,
                netBefore,
                net[binding],
                balance.band(binding),
                deficitBefore,
                per[binding],
                0,
                (int) -shed,
                binding,
                null);
    }

    /** n × per, saturating at {@link Long#MAX_VALUE} (both ≥ 0). */
    static long times(long n, long per) {
        return n != 0 && per > Long.MAX_VALUE / n ? Long.MAX_VALUE : n * per;
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
