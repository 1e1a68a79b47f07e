package io.qshard.agent;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.sample.UsageSampler;
import io.qshard.core.config.QshardConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the node agent is told at startup. Immutable; {@link AgentMain} validates flags into it.
 *
 * @param nodeName        the node this agent runs on
 * @param cgroupRoot      the cgroup mount root ({@code /sys/fs/cgroup})
 * @param cgroupParent    path below the root that holds kubepods ({@code ""} on a real node; a private subtree in tests)
 * @param cgroupVersion   {@code 1}, {@code 2} or {@code auto}
 * @param driver          the kubelet's cgroup driver
 * @param procRoot        {@code /proc}
 * @param nodeSource      where whole-node usage comes from
 * @param reportInterval  how often a NodeUsage report is written (the fast path may write sooner)
 * @param sampleInterval  how often cgroups are read and isolation re-applied
 * @param fastPathChange  node cpu moving by more than this fraction of allocatable since the last report triggers one
 * @param evictBelowMilli the besteffort box is too small below this (the seeds: one core)
 * @param evictGrace      how long the box may stay too small before its pods are evicted
 * @param memoryThreshold node memory usage above this fraction of real allocatable evicts besteffort pods
 * @param dryRun          report usage and log what would be done, change nothing else
 * @param metricsPort     port of {@code /metrics} and {@code /healthz} (0: any free port)
 * @param config          tiers and pools (the same {@code qshard.yaml} the schedulers use)
 */
public record AgentSettings(
        String nodeName,
        Path cgroupRoot,
        String cgroupParent,
        String cgroupVersion,
        CgroupDriver driver,
        Path procRoot,
        UsageSampler.NodeSource nodeSource,
        Duration reportInterval,
        Duration sampleInterval,
        double fastPathChange,
        long evictBelowMilli,
        Duration evictGrace,
        double memoryThreshold,
        boolean dryRun,
        int metricsPort,
        QshardConfig config) {
    public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_FAST_PATH_CHANGE = 0.10;
    public static final Duration DEFAULT_EVICT_GRACE = Duration.ofSeconds(30);
    public static final double DEFAULT_MEMORY_THRESHOLD = 0.95;

    /** @throws IllegalArgumentException naming the flag out of range */
    public AgentSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException(
                    "--node-name is required (in a DaemonSet: from spec.nodeName via the downward API)");
        }
        if (sampleInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--sample-interval must be at least 100ms, was " + sampleInterval);
        }
        if (reportInterval.compareTo(sampleInterval) < 0) {
            throw new IllegalArgumentException("--interval must be at least --sample-interval");
        }
        if (!(fastPathChange > 0 && fastPathChange <= 1)) {
            throw new IllegalArgumentException("--fast-path-change must be in (0, 1], was " + fastPathChange);
        }
        if (evictBelowMilli < 0 || evictGrace.isNegative()) {
            throw new IllegalArgumentException("--evict-below and --evict-grace must be >= 0");
        }
        if (!(memoryThreshold > 0 && memoryThreshold <= 1)) {
            throw new IllegalArgumentException("--memory-threshold must be in (0, 1], was " + memoryThreshold);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be in 0..65535, was " + metricsPort);
        }
    }
}
