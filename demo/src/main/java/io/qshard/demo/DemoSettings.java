package io.qshard.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the demo runs: {@code nodes} simulated nodes whose prod load replays real traces ({@code traces}, or a synthetic
 * diurnal load when null) at {@code speedup} trace seconds per second, its cpu scaled so the fleet's prod usage peaks
 * at {@code prodPeak} of the cores (in (0, 1]), plus {@code realNodes} real kubelet nodes (0..{@value #MAX_REAL_NODES};
 * local control plane only); first {@code baseline} with prod only, then {@code duration} with every tier; with
 * {@code replicaHosting}, replica hosting sets the mid, batch and free replicas; results under {@code out}. Immutable.
 */
public record DemoSettings(
        int nodes,
        int realNodes,
        Duration baseline,
        Duration duration,
        double speedup,
        Path traces,
        Path out,
        long seed,
        double prodPeak,
        boolean replicaHosting) {
    /** Default: 200 nodes, 1 min of prod only, then 3 min with every tier, traces at 300× (4 trace hours / min… 20 h in all). */
    public static final int DEFAULT_NODES = 200;

    public static final Duration DEFAULT_BASELINE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(3);
    public static final double DEFAULT_SPEEDUP = 300;
    /** The fleet's prod cpu peak by default: a quarter of the cores (the seed's situation). */
    public static final double DEFAULT_PROD_PEAK = 0.25;
    /** At most this many real kubelet nodes (each runs its own containerd and kubelet on this machine). */
    public static final int MAX_REAL_NODES = 4;

    public DemoSettings {
        if (nodes < 1 || nodes > 5000) {
            throw new IllegalArgumentException("--nodes must be between 1 and 5000, was " + nodes);
        }
        if (realNodes < 0 || realNodes > MAX_REAL_NODES) {
            throw new IllegalArgumentException(
                    "--real-nodes must be between 0 and " + MAX_REAL_NODES + ", was " + realNodes);
        }
        if (baseline.isNegative() || duration.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--baseline must be ≥ 0 and --duration at least 10s");
        }
        if (!(speedup >= 1 && speedup <= 10_000)) {
            throw new IllegalArgumentException("--speedup must be in [1, 10000], was " + speedup);
        }
        if (!(prodPeak > 0 && prodPeak <= 1)) {
            throw new IllegalArgumentException("--prod-peak must be in (0, 1], was " + prodPeak);
        }
    }
}
