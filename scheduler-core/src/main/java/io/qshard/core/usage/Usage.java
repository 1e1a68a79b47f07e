package io.qshard.core.usage;

import io.qshard.core.model.Saturating;

/**
 * An amount of real usage: cpu in milli-cores, memory in bytes. Sums saturate at {@link Long#MAX_VALUE} instead of
 * wrapping around (a pod asking {@code cpu: 1e18} is decoded as 2<sup>63</sup>−1 milli-cores). Immutable.
 *
 * @param milliCpu    cpu, ≥ 0
 * @param memoryBytes memory, ≥ 0
 */
public record Usage(long milliCpu, long memoryBytes) {
    /** Nothing. */
    public static final Usage ZERO = new Usage(0, 0);

    /** @throws IllegalArgumentException when negative */
    public Usage {
        if (milliCpu < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("usage must be >= 0, was cpu " + milliCpu + "m memory " + memoryBytes);
        }
    }

    /** @return the sum, saturated at {@link Long#MAX_VALUE} per component */
    public Usage plus(Usage o) {
        return new Usage(Saturating.add(milliCpu, o.milliCpu), Saturating.add(memoryBytes, o.memoryBytes));
    }

    /** @return the component-wise maximum */
    public Usage max(Usage o) {
        return new Usage(Math.max(milliCpu, o.milliCpu), Math.max(memoryBytes, o.memoryBytes));
    }

    /** @return this minus {@code o}, floored at zero per component */
    public Usage minusFloored(Usage o) {
        return new Usage(Math.max(0, milliCpu - o.milliCpu), Math.max(0, memoryBytes - o.memoryBytes));
    }

    /**
     * @param factor ≥ 0, finite or +∞
     * @return this scaled by {@code factor}, rounded up, saturated at {@link Long#MAX_VALUE} per component; computed
     *         in double (amounts above 2^53 lose their last digits), but never below this for a factor ≥ 1
     * @throws IllegalArgumentException naming the factor when it is negative or NaN
     */
    public Usage times(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("usage factor must be >= 0, was " + factor);
        }
        return new Usage(scale(milliCpu, factor), scale(memoryBytes, factor));
    }

    /** A double converts to long saturating at {@link Long#MAX_VALUE}; 0 × ∞ (NaN) converts to 0. */
    private static long scale(long v, double factor) {
        long scaled = (long) Math.ceil(v * factor);
        return factor >= 1 ? Math.max(v, scaled) : scaled;
    }
}
