package io.qshard.bench.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * What a scenario measured after its warm-up. Percentages are of the fleet's real allocatable cpu, summed over
 * node-steps. Immutable.
 *
 * @param nodeSteps       node × report steps measured
 * @param meanCpu         mean node cpu usage, %
 * @param meanProd        of which prod (and pods of no tier), %
 * @param hotShare        node-steps whose usage was above the hot threshold, %
 * @param prodHotShare    node-steps where prod alone was above it (no scheduler can avoid those), %
 * @param throttled       share of the besteffort pods' cpu demand the isolation box did not grant, %
 * @param evictions       pods evicted (migrated) while measuring
 * @param evictionsPerHour evictions per simulated hour
 * @param placed          pods placed while running (warm-up included)
 * @param completed       jobs that ran to completion
 */
public record ScenarioResult(
        long nodeSteps,
        double meanCpu,
        double meanProd,
        double hotShare,
        double prodHotShare,
        double throttled,
        long evictions,
        double evictionsPerHour,
        long placed,
        long completed) {

    /** One line for a results table. */
    public String row(String label) {
        return String.format(
                Locale.ROOT,
                "| %s | %.1f %% | %.1f %% | %.2f %% | %.2f %% | %.1f %% | %d | %.1f | %d |",
                label,
                meanCpu,
                meanProd,
                hotShare,
                prodHotShare,
                throttled,
                evictions,
                evictionsPerHour,
                completed);
    }

    /** The header matching {@link #row}. */
    public static String header() {
        return "| run | mean cpu | of which prod | node-time above hot | prod alone above hot | besteffort demand "
                + "throttled | evictions | evictions/h | jobs completed |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    /** Accumulates a scenario's measurements. Not thread-safe. */
    static final class Builder {
        private final double hotThreshold;
        private long nodeSteps;
        private double allocatable;
        private double used;
        private double prod;
        private double besteffortDemand;
        private double besteffortUsed;
        private long hot;
        private long prodHot;
        private long evictions;
        private long placed;
        private long completed;

        Builder(double hotThreshold) {
            this.hotThreshold = hotThreshold;
        }

        void nodeStep(long allocatableMilli, long usedMilli, long prodMilli, long demandMilli) {
            nodeSteps++;
            allocatable += allocatableMilli;
            used += usedMilli;
            prod += prodMilli;
            besteffortDemand += Math.max(0, demandMilli - prodMilli);
            besteffortUsed += Math.max(0, usedMilli - prodMilli);
            if (usedMilli > hotThreshold * allocatableMilli) {
                hot++;
            }
            if (prodMilli > hotThreshold * allocatableMilli) {
                prodHot++;
            }
        }

        void evicted(boolean measuring) {
            if (measuring) {
                evictions++;
            }
        }

        void placed() {
            placed++;
        }

        void completed() {
            completed++;
        }

        ScenarioResult build(Duration measured) {
            double hours = measured.toSeconds() / 3600.0;
            return new ScenarioResult(
                    nodeSteps,
                    100 * used / allocatable,
                    100 * prod / allocatable,
                    100.0 * hot / nodeSteps,
                    100.0 * prodHot / nodeSteps,
                    besteffortDemand == 0 ? 0 : 100 * (besteffortDemand - besteffortUsed) / besteffortDemand,
                    evictions,
                    evictions / hours,
                    placed,
                    completed);
        }
    }
}
