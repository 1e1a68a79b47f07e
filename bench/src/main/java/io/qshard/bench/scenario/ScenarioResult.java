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
 * @param pendingPodSeconds  Σ over measured steps of the borrowing tiers' (mid, batch, free) pending pods × the step,
 *                           pod-seconds
 * @param meanPendingPods    their mean pending pods per measured step
 * @param meanBorrowingPods  their mean pods, bound and pending, per measured step
 * @param replicaChanges     replica writes of replica hosting while measuring
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
        long completed,
        double pendingPodSeconds,
        double meanPendingPods,
        double meanBorrowingPods,
        long replicaChanges) {

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

    /** One line for the replica-hosting table ({@link #hostingHeader}). */
    public String hostingRow(String label, Duration measured) {
        double hours = measured.toSeconds() / 3600.0;
        return String.format(
                Locale.ROOT,
                "| %s | %,.0f | %.1f | %.2f %% | %.1f %% | %.1f %% | %.1f %% | %.2f %% | %.1f %% | %.1f | %.1f |",
                label,
                pendingPodSeconds,
                meanPendingPods,
                meanBorrowingPods == 0 ? 0 : 100 * meanPendingPods / meanBorrowingPods,
                meanCpu,
                meanProd,
                meanCpu - meanProd,
                hotShare,
                throttled,
                evictionsPerHour,
                replicaChanges / hours);
    }

    /** The header matching {@link #hostingRow}. */
    public static String hostingHeader() {
        return "| run | pending pod-s (mid+batch+free) | mean pending pods | of their pods | mean cpu | of which prod "
                + "| of which mid+batch+free | node-time above hot | besteffort demand throttled | evictions/h "
                + "| replica changes/h |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
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
        private long pendingSteps;
        private double pendingPodSeconds;
        private double pendingPods;
        private double borrowingPods;
        private long replicaChanges;

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

        void pendingStep(long pending, long borrowing, long stepSeconds) {
            pendingSteps++;
            pendingPods += pending;
            borrowingPods += borrowing;
            pendingPodSeconds += (double) pending * stepSeconds;
        }

        void replicaChanges(int writes) {
            replicaChanges += writes;
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
                    completed,
                    pendingPodSeconds,
                    pendingSteps == 0 ? 0 : pendingPods / pendingSteps,
                    pendingSteps == 0 ? 0 : borrowingPods / pendingSteps,
                    replicaChanges);
        }
    }
}
