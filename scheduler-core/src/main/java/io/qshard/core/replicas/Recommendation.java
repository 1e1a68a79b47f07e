package io.qshard.core.replicas;

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
 * @param deficit     for SHED: the class's cpu deficit it was asked to free (milli-cores), else 0
 * @param perReplica  ū cpu (milli-cores)
 * @param unplaced    for PENDING: its pending replicas the pool cannot place, else 0
 * @param added       for ROOM: the replicas that fit, else 0
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
        int added) {

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
        /** Past the per-cycle placement cap; keep as is. */
        NOT_PLANNED
    }

    /** One line for Events and status, e.g. "batch pool over by 26.0 cores; 1.6 cores per replica → shed 17". */
    public String why(String tier) {
        throw new UnsupportedOperationException("TODO");
    }
}
