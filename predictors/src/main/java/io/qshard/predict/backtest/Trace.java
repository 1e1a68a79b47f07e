package io.qshard.predict.backtest;

/**
 * One usage trace: strictly increasing sample times and the cpu and memory percentages (NaN where the source has no
 * memory or the row had none).
 *
 * @param name   file name without {@code .csv}
 * @param source the part of the name before the first {@code -} (e.g. {@code alibaba2018})
 * @param time   sample times in seconds, strictly increasing
 * @param cpu    cpu percent per sample
 * @param memory memory percent per sample, NaN when absent
 */
public record Trace(String name, String source, long[] time, double[] cpu, double[] memory) {

    /** @return the number of samples */
    public int size() {
        return time.length;
    }

    /** @return the series of one resource */
    public double[] values(Resource resource) {
        return resource == Resource.CPU ? cpu : memory;
    }

    /** The resource column a backtest reads. */
    public enum Resource {
        /** {@code cpu_pct}. */
        CPU,
        /** {@code mem_pct}. */
        MEMORY
    }
}
