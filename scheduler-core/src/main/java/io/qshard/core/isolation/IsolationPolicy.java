package io.qshard.core.isolation;

import io.qshard.core.pool.PoolConfig;

/**
 * The single-node engine's cpu rules (docs/architecture.md, "The node agent"; the seeds' "isolation and backoff"), as pure
 * arithmetic on milli-cores so the node agent, the simulator and the offline scenarios apply the same ones:
 * <pre>
 * peakCap         = realAllocatable × targetUtilization;   margin = realAllocatable × safetyMargin
 * burstable quota = max(Σ requests of burstable pods, peakCap − usage(prod) − margin)
 *                   (mid keeps what it requested; only its burst above requests is taken back as prod rises)
 * besteffort box  = max(0, peakCap − usage(prod) − usage(mid) − margin)
 * </pre>
 * The box is what batch and free pods together may use; the agent evicts every pod in it when the box stays below
 * {@link #DEFAULT_EVICT_BELOW_MILLI} for a grace time. Immutable and thread-safe.
 *
 * @param targetUtilization peakCap as a fraction of real allocatable cpu, (0, 1]
 * @param safetyMargin      margin kept free, fraction of real allocatable cpu, [0, targetUtilization)
 */
public record IsolationPolicy(double targetUtilization, double safetyMargin) {
    /** The besteffort box is "under one core" below this: 1000 milli-cores (the seeds' rule). */
    public static final long DEFAULT_EVICT_BELOW_MILLI = 1_000;

    public IsolationPolicy {
        if (!(targetUtilization > 0 && targetUtilization <= 1)) {
            throw new IllegalArgumentException("targetUtilization must be in (0, 1], was " + targetUtilization);
        }
        if (!(safetyMargin >= 0 && safetyMargin < targetUtilization)) {
            throw new IllegalArgumentException("safetyMargin must be in [0, targetUtilization), was " + safetyMargin);
        }
    }

    /** @return the cpu rules of these pools */
    public static IsolationPolicy of(PoolConfig pools) {
        return new IsolationPolicy(pools.cpuTargetUtilization(), pools.cpuSafetyMargin());
    }

    /**
     * @param realAllocatableMilli the node's real allocatable cpu
     * @param prodMilli            what prod (and pods of no tier) use now
     * @param midMilli             what mid uses now
     * @return the cpu the besteffort pods (batch and free) may use together, ≥ 0
     */
    public long besteffortMilli(long realAllocatableMilli, long prodMilli, long midMilli) {
        return Math.max(0, peak(realAllocatableMilli) - prodMilli - midMilli - margin(realAllocatableMilli));
    }

    /**
     * @param realAllocatableMilli the node's real allocatable cpu
     * @param prodMilli            what prod (and pods of no tier) use now
     * @param burstableRequestsMilli Σ cpu requests of the burstable (mid) pods on the node
     * @return the cpu the burstable pods may use together: never below their requests
     */
    public long burstableMilli(long realAllocatableMilli, long prodMilli, long burstableRequestsMilli) {
        return Math.max(burstableRequestsMilli, peak(realAllocatableMilli) - prodMilli - margin(realAllocatableMilli));
    }

    private long peak(long allocatable) {
        return (long) (allocatable * targetUtilization);
    }

    private long margin(long allocatable) {
        return (long) (allocatable * safetyMargin);
    }
}
