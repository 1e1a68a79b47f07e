package io.qshard.core.replicas;

import java.util.Locale;

/**
 * What the planner ({@link ReplicaPlanner}) would set a workload to, before the governor's limits, and the figures
 * that caused it (for the Event). Immutable. Cpu figures in milli-cores, memory in bytes.
 *
 * @param key         the workload
 * @param raw         the recommended replicas (before clamping to [min, max])
 * @param kind        why
 * @param netBefore   the class's net pool, cpu, before this workload (milli-cores)
 * @param netAfter    the class's net pool, cpu, after this workload's recommendation (milli-cores)
 * @param band        the hysteresis band, cpu (milli-cores)
 * @param deficit     for SHED: the class's cpu deficit it was asked to free; for RECLAIM: the cpu of the owed claim
 *                    it pays (milli-cores); else 0
 * @param perReplica  for SHED and RECLAIM: ū cpu, the observed usage per bound replica; for ROOM and STEADY: the cpu a new
 *                    replica asks (its request); milli-cores
 * @param unplaced    for PENDING: its pending replicas the pool cannot place, else 0
 * @param added       for ROOM: the replicas that fit (&gt; 0); for SHED and RECLAIM: minus the replicas shed or
 *                    given back, pending ones included (&lt; 0); else 0 — so {@code raw = current + added} for both
 * @param resource    which resource the figures netBefore, netAfter, band, deficit and perReplica are of: 0 cpu
 *                    (milli-cores), 1 memory (bytes); for SHED the resource that set how many are shed, else 0
 * @param note        for NOT_PLANNED: why, when not the placement cap; for RECLAIM: why (always); for PENDING and
 *                    STEADY: the "owed before lent" addition ({@link OwedBeforeLent}), or null
 */
public record Recommendation(
        WorkloadKey key,
        int raw,
        Kind kind,
        long netBefore,
        long netAfter,
        long band,
        long deficit,
        long perReplica,
        int unplaced,
        int added,
        int resource,
        String note) {

    /** Bytes in a GiB. */
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** @throws IllegalArgumentException when resource is neither 0 (cpu) nor 1 (memory) */
    public Recommendation {
        if (resource != 0 && resource != 1) {
            throw new IllegalArgumentException("resource must be 0 (cpu) or 1 (memory), was " + resource);
        }
    }

    /** Cpu figures, no note (the form before {@code resource} and {@code note} were added). */
    public Recommendation(
            WorkloadKey key,
            int raw,
            Kind kind,
            long netBefore,
            long netAfter,
            long band,
            long deficit,
            long perReplica,
            int unplaced,
            int added) {
        this(key, raw, kind, netBefore, netAfter, band, deficit, perReplica, unplaced, added, 0, null);
    }

    /** Why a raw value. */
    public enum Kind {
        /** The class's pool is over: shed, lowest priority first. */
        SHED,
        /** Its own pending replicas do not fit. */
        PENDING,
        /** Room for more after the band. */
        ROOM,
        /** Nothing to change. */
        STEADY,
        /**
         * Owed before lent: it gives back replicas above its request for the pending requested replicas of a workload
         * of its class or of a class its pool contains ({@link OwedBeforeLent}); a down for the governor.
         */
        RECLAIM,
        /** Past the per-cycle placement cap; keep as is. */
        NOT_PLANNED
    }

    /**
     * One line for Events and status, e.g. "batch pool over by 26.0 cores (net -26.0, band 3.2); 1.6 cores per
     * replica → shed 17, lowest priority first" or "batch pool has room for 20 more after a 3.2-core band (net 56.0
     * cores, 2.0 cores per new replica)".
     *
     * @param tier the workload's tier name
     */
    public String why(String tier) {
        return switch (kind) {
            case SHED ->
                resource == 1
                        ? String.format(
                                Locale.ROOT,
                                "%s pool over by %s GiB of memory (net %s GiB, band %s GiB); %s GiB per replica → shed"
                                        + " %d, lowest priority first",
                                tier,
                                gib(deficit),
                                gib(netBefore),
                                gib(band),
                                gib(perReplica),
                                -added)
                        : String.format(
                                Locale.ROOT,
                                "%s pool over by %s cores (net %s, band %s); %s cores per replica → shed %d, lowest"
                                        + " priority first",
                                tier,
                                cores(deficit),
                                cores(netBefore),
                                cores(band),
                                cores(perReplica),
                                -added);
            case PENDING ->
                String.format(
                                Locale.ROOT,
                                "%d pending replica%s not fit the %s pool",
                                unplaced,
                                unplaced == 1 ? " does" : "s do",
                                tier)
                        + (note != null ? "; " + note : "");
            case RECLAIM -> note;
            case ROOM ->
                String.format(
                        Locale.ROOT,
                        "%s pool has room for %d more after a %s-core band (net %s cores, %s cores per new replica)",
                        tier,
                        added,
                        cores(band),
                        cores(netBefore),
                        cores(perReplica));
            case STEADY ->
                note != null
                        ? note
                        : String.format(
                                Locale.ROOT,
                                "%s pool holds it: net %s cores, band %s, no room for another replica",
                                tier,
                                cores(netBefore),
                                cores(band));
            case NOT_PLANNED ->
                note != null
                        ? "not planned this cycle: " + note
                        : "not planned this cycle: the plan reached its cap of " + ReplicaPlanner.MAX_PLACEMENTS
                                + " placements";
        };
    }

    /** Bytes as GiB with one decimal ("3.0"). */
    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / GIB);
    }

    /** Milli-cores as cores with one decimal ("26.0"). */
    static String cores(long milli) {
        return String.format(Locale.ROOT, "%.1f", milli / 1000.0);
    }
}
