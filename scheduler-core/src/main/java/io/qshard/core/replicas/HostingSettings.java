package io.qshard.core.replicas;

import java.time.Duration;

/**
 * Replica hosting's control-law settings (docs/architecture.md, "Replica hosting"). Immutable; validated on
 * construction, the error names the flag.
 *
 * @param minInterval          least time between two changes of one workload (both directions), ≥ 0
 * @param upWindow             a scale-up takes the minimum recommendation over this window, which must be spanned, ≥ 0
 * @param hysteresis           a scale-up must leave the class's net pool ≥ this share of the usable nodes' real
 *                             allocatable, in [0, 0.5]
 * @param maxStepPods          a change moves at most max(this, maxStepPercent % of the replicas), ≥ 1
 * @param maxStepPercent       see maxStepPods, in [1, 1000]
 * @param maxReplicasPerMinute Σ |Δ replicas| over all workloads per sliding minute, ≥ 1
 * @param manualHold           how long a manual change of replicas is left alone, ≥ 0
 * @param maxReplicasCap       the largest {@code qshard.io/replicas-max} accepted, ≥ 1
 * @param freshShare           the share of nodes with a fresh report below which hosting freezes, in [0, 1]
 */
public record HostingSettings(
        Duration minInterval,
        Duration upWindow,
        double hysteresis,
        int maxStepPods,
        int maxStepPercent,
        int maxReplicasPerMinute,
        Duration manualHold,
        int maxReplicasCap,
        double freshShare) {
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_UP_WINDOW = Duration.ofMinutes(3);
    public static final double DEFAULT_HYSTERESIS = 0.02;
    public static final int DEFAULT_MAX_STEP_PODS = 4;
    public static final int DEFAULT_MAX_STEP_PERCENT = 50;
    public static final int DEFAULT_MAX_REPLICAS_PER_MINUTE = 100;
    public static final Duration DEFAULT_MANUAL_HOLD = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_REPLICAS_CAP = 1000;
    public static final double DEFAULT_FRESH_SHARE = 0.9;

    /** @throws IllegalArgumentException naming the flag of the first bad value */
    public HostingSettings {
        nonNegative(minInterval, "--min-interval");
        nonNegative(upWindow, "--up-window");
        nonNegative(manualHold, "--manual-hold");
        if (!(hysteresis >= 0 && hysteresis <= 0.5)) {
            throw new IllegalArgumentException("--hysteresis must be in [0, 0.5], was " + hysteresis);
        }
        if (maxStepPods < 1) {
            throw new IllegalArgumentException("--max-step must be >= 1, was " + maxStepPods);
        }
        if (maxStepPercent < 1 || maxStepPercent > 1000) {
            throw new IllegalArgumentException("--max-step-percent must be in [1, 1000], was " + maxStepPercent);
        }
        if (maxReplicasPerMinute < 1) {
            throw new IllegalArgumentException("--max-replicas-per-minute must be >= 1, was " + maxReplicasPerMinute);
        }
        if (maxReplicasCap < 1) {
            throw new IllegalArgumentException("--max-replicas-cap must be >= 1, was " + maxReplicasCap);
        }
        if (!(freshShare >= 0 && freshShare <= 1)) {
            throw new IllegalArgumentException("fresh share must be in [0, 1], was " + freshShare);
        }
    }

    /** The defaults (the named constants). */
    public static HostingSettings defaults() {
        return new HostingSettings(
                DEFAULT_MIN_INTERVAL,
                DEFAULT_UP_WINDOW,
                DEFAULT_HYSTERESIS,
                DEFAULT_MAX_STEP_PODS,
                DEFAULT_MAX_STEP_PERCENT,
                DEFAULT_MAX_REPLICAS_PER_MINUTE,
                DEFAULT_MANUAL_HOLD,
                DEFAULT_MAX_REPLICAS_CAP,
                DEFAULT_FRESH_SHARE);
    }

    /** The largest change of a workload now at {@code current} replicas: max(maxStepPods, ⌈percent × current⌉). */
    public int step(int current) {
        long percent = ((long) maxStepPercent * Math.max(current, 1) + 99) / 100;
        return (int) Math.max(maxStepPods, Math.min(Integer.MAX_VALUE, percent));
    }

    private static void nonNegative(Duration d, String flag) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(flag + " must be >= 0, was " + d);
        }
    }
}
