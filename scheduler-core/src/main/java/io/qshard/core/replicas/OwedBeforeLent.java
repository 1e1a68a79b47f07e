package io.qshard.core.replicas;

import io.qshard.core.model.PoolRule;
import io.qshard.core.replicas.Recommendation.Kind;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Owed before lent" (docs/architecture.md, "Replica hosting"). A workload's replicas up to its request R (bookkeeping,
 * else current; never below min) are owed, those above are lent. In phase 2 ({@link Placement}) the pending replicas of
 * the workloads whose current ≤ max(R, min) are placed first, most important first, before any scale-up; those that do
 * not fit are the class's owed claim, each at its per-pod request. While a class has a claim, the classes whose pool
 * strictly contains it (mid ⊋ batch ⊋ free) get no ROOM (the claim's own class is not barred: its owed replicas were
 * placed before any of its ROOM already, and barring it kept free services at their min for fragmentation claims).
 * After phase 2 ({@link #settle}), for each resource r the class's net pool cannot hold (N(c, r) &lt; claim(r); a claim
 * the net pool could hold is fragmentation or constraints, which giving back replicas does not fix), lent replicas of
 * that class and of the classes containing it are reclaimed least important first, each freeing its ū, never below
 * max(R, min), until the claim is covered ({@link Kind#RECLAIM}, a down for the governor). Each claimant keeps the
 * pending replicas the reclaimed ū pays for (PENDING with a note); only the part no lent replica can pay is shed as
 * before. Claims are settled mid first, then batch, then free. Pure, stateless.
 */
final class OwedBeforeLent {
    private static final PoolRule[] BORROWING = {PoolRule.MID_POOL, PoolRule.BATCH_POOL, PoolRule.FREE_POOL};

    private OwedBeforeLent() {}

    /**
     * One class's owed claim.
     *
     * @param need     per resource (cpu milli-cores, memory bytes): the claim where the net pool cannot hold it, else 0
     * @param replicas the claimants' unplaced replicas
     * @param first    the most important claimant
     */
    private record Claim(long[] need, int replicas, HostedWorkload first) {}

    /** max(R, min): the replicas owed to {@code w}. */
    static int owed(HostedWorkload w) {
        Integer r = w.book() == null ? null : w.book().request();
        return Math.max(r != null ? r : w.current(), w.spec().min());
    }

    /** Whether {@code rec} (phase 2's recommendation for {@code w}) makes {@code w} a claimant. */
    static boolean claims(HostedWorkload w, Recommendation rec) {
        return rec != null && rec.kind() == Kind.PENDING && rec.unplaced() > 0 && w.current() <= owed(w);
    }

    /** Whether a workload of class {@code payer} may pay a claim in class {@code claim}: its pool contains claim's. */
    static boolean pays(PoolRule payer, PoolRule claim) {
        return payer != PoolRule.ALLOCATABLE && payer.ordinal() <= claim.ordinal();
    }

    /**
     * The classes barred from ROOM (those strictly containing a class with a claim in {@code out}), each with its
     * STEADY note ("owed before lent: no scale-up while 4 requested
     * replicas (Deployment ns/x first) cannot be placed"); empty when no class has a claim.
     */
    static Map<PoolRule, String> barred(List<HostedWorkload> workloads, Recommendation[] out) {
        Map<PoolRule, Claim> claims = new EnumMap<>(PoolRule.class);
        for (PoolRule c : BORROWING) {
            Claim claim = claim(c, workloads, out, null);
            if (claim != null) {
                claims.put(c, claim);
            }
        }
        Map<PoolRule, String> notes = new EnumMap<>(PoolRule.class);
        for (PoolRule payer : BORROWING) {
            int replicas = 0;
            HostedWorkload first = null;
            for (Map.Entry<PoolRule, Claim> e : claims.entrySet()) {
                if (payer != e.getKey() && pays(payer, e.getKey())) {
                    replicas += e.getValue().replicas();
                    first = first == null ? e.getValue().first() : first;
                }
            }
            if (first != null) {
                notes.put(
                        payer,
                        String.format(
                                Locale.ROOT,
                                "owed before lent: no scale-up while %d requested replica%s (%s first) cannot be"
                                        + " placed",
                                replicas,
                                replicas == 1 ? "" : "s",
                                first.key()));
            }
        }
        return notes;
    }

    /** Reclaims lent replicas for each class's claim and rewrites the claimants it pays; updates {@code out}. */
    static void settle(List<HostedWorkload> workloads, Recommendation[] out, PoolBalance balance) {
        Recommendation[] phase2 = out.clone();
        int[] reclaimed = new int[workloads.size()];
        for (PoolRule c : BORROWING) {
            Claim claim = claim(c, workloads, phase2, balance);
            if (claim != null) {
                long[] left = reclaim(c, claim, workloads, phase2, out, reclaimed);
                pay(c, claim, left, workloads, phase2, out);
            }
        }
    }

    /**
     * Class {@code c}'s claim over {@code out}, or null when it has none (none the net pool cannot hold, when
     * {@code balance} is given).
     */
    private static Claim claim(PoolRule c, List<HostedWorkload> workloads, Recommendation[] out, PoolBalance balance) {
        long[] total = new long[2];
        int replicas = 0;
        HostedWorkload first = null;
        for (int i = 0; i < workloads.size(); i++) {
            HostedWorkload w = workloads.get(i);
            if (w.template().poolRule() == c && claims(w, out[i])) {
                for (int r = 0; r < 2; r++) {
                    total[r] = Math.addExact(
                            total[r], ReplicaPlanner.times(out[i].unplaced(), VirtualReplica.request(w.template(), r)));
                }
                replicas += out[i].unplaced();
                first = first == null ? w : first;
            }
        }
        long[] need = new long[2];
        for (int r = 0; r < 2; r++) {
            need[r] = balance == null || balance.net(c, r) < total[r] ? total[r] : 0;
        }
        return first == null || (need[0] == 0 && need[1] == 0) ? null : new Claim(need, replicas, first);
    }

    /** Gives back lent replicas, least important first, until the need is covered. @return the need left unpaid */
    private static long[] reclaim(
            PoolRule c,
            Claim claim,
            List<HostedWorkload> workloads,
            Recommendation[] phase2,
            Recommendation[] out,
            int[] reclaimed) {
        long[] left = claim.need().clone();
        for (int i = workloads.size() - 1; i >= 0 && (left[0] > 0 || left[1] > 0); i--) {
            HostedWorkload w = workloads.get(i);
            if (!pays(w.template().poolRule(), c) || !lends(w, phase2[i])) {
                continue;
            }
            long lent = (long) phase2[i].raw() - reclaimed[i] - owed(w);
            long[] per = {w.perReplica().milliCpu(), w.perReplica().memoryBytes()};
            long k = 0;
            for (int r = 0; r < 2; r++) {
                if (left[r] > 0 && per[r] > ReplicaPlanner.NEGLIGIBLE[r]) {
                    k = Math.max(k, left[r] / per[r] + (left[r] % per[r] == 0 ? 0 : 1));
                }
            }
            int give = (int) Math.min(lent, k);
            if (give <= 0) {
                continue;
            }
            for (int r = 0; r < 2; r++) {
                left[r] = Math.max(0, left[r] - ReplicaPlanner.times(give, per[r]));
            }
            reclaimed[i] += give;
            out[i] = given(w, phase2[i], reclaimed[i], claim);
        }
        return left;
    }

    /** Whether phase 2 left {@code w} lent replicas it may give back: steady, or pending above its request. */
    private static boolean lends(HostedWorkload w, Recommendation rec) {
        return rec != null
                && (rec.kind() == Kind.STEADY || (rec.kind() == Kind.PENDING && !claims(w, rec)))
                && rec.raw() > owed(w);
    }

    /** {@code base} (phase 2's) less {@code total} lent replicas given back, with the why. */
    private static Recommendation given(HostedWorkload w, Recommendation base, int total, Claim claim) {
        int raw = base.raw() - total;
        return new Recommendation(
                w.key(),
                raw,
                Kind.RECLAIM,
                base.netBefore(),
                base.netAfter(),
                base.band(),
                claim.need()[0],
                w.perReplica().milliCpu(),
                base.unplaced(),
                raw - w.current(),
                0,
                String.format(
                        Locale.ROOT,
                        "owed before lent: gives back %d lent replica%s (above its request %d) for %d pending requested"
                                + " replica%s of %s %s%s",
                        total,
                        total == 1 ? "" : "s",
                        owed(w),
                        claim.replicas(),
                        claim.replicas() == 1 ? "" : "s",
                        claim.first().tier(),
                        claim.first().key(),
                        base.kind() == Kind.PENDING ? "; " + base.unplaced() + " of its own pending do not fit" : ""));
    }

    /**
     * The claimants, most important first: each unplaced replica whose request (in the resources of the need) the
     * reclaimed ū still covers is kept (PENDING with a note); the rest are shed as before, never below min.
     */
    private static void pay(
            PoolRule c,
            Claim claim,
            long[] left,
            List<HostedWorkload> workloads,
            Recommendation[] phase2,
            Recommendation[] out) {
        long[] paid = {claim.need()[0] - left[0], claim.need()[1] - left[1]};
        for (int i = 0; i < workloads.size(); i++) {
            HostedWorkload w = workloads.get(i);
            Recommendation rec = phase2[i];
            if (w.template().poolRule() != c || !claims(w, rec)) {
                continue;
            }
            int kept = 0;
            while (kept < rec.unplaced() && covers(paid, claim.need(), w)) {
                for (int r = 0; r < 2; r++) {
                    if (claim.need()[r] > 0) {
                        paid[r] -= VirtualReplica.request(w.template(), r);
                    }
                }
                kept++;
            }
            if (kept == 0) {
                continue;
            }
            int unpaid = rec.unplaced() - kept;
            out[i] = new Recommendation(
                    rec.key(),
                    Math.max(w.spec().min(), w.current() - unpaid),
                    Kind.PENDING,
                    rec.netBefore(),
                    rec.netAfter(),
                    rec.band(),
                    rec.deficit(),
                    rec.perReplica(),
                    rec.unplaced(),
                    rec.added(),
                    rec.resource(),
                    String.format(
                            Locale.ROOT,
                            "owed before lent: %d kept while lent replicas are given back%s",
                            kept,
                            unpaid > 0 ? ", " + unpaid + " no lent replica can pay" : ""));
        }
    }

    private static boolean covers(long[] paid, long[] need, HostedWorkload w) {
        for (int r = 0; r < 2; r++) {
            if (need[r] > 0 && paid[r] < VirtualReplica.request(w.template(), r)) {
                return false;
            }
        }
        return true;
    }
}
