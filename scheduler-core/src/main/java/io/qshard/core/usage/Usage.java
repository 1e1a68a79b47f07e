package io.qshard.core.usage;

/**
 * An amount of real usage: cpu in milli-cores, memory in bytes. Immutable.
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

    /** @return the sum */
    public Usage plus(Usage o) {
        return new Usage(milliCpu + o.milliCpu, memoryBytes + o.memoryBytes);
    }

    /** @return the component-wise maximum */
    public Usage max(Usage o) {
        return new Usage(Math.max(milliCpu, o.milliCpu), Math.max(memoryBytes, o.memoryBytes));
    }

    /** @return this minus {@code o}, floored at zero per component */
    public Usage minusFloored(Usage o) {
        return new Usage(Math.max(0, milliCpu - o.milliCpu), Math.max(0, memoryBytes - o.memoryBytes));
    }

    /** @return this scaled by {@code factor} (≥ 0), rounded up */
    public Usage times(double factor) {
        return new Usage((long) Math.ceil(milliCpu * factor), (long) Math.ceil(memoryBytes * factor));
    }
}
