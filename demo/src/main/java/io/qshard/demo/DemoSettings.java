package io.qshard.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the demo runs: {@code nodes} simulated nodes whose prod load replays real traces ({@code traces}, or a synthetic
 * diurnal load when null) at {@code speedup} trace seconds per second; first {@code baseline} with prod only, then
 * {@code duration} with every tier; results under {@code out}. Immutable.
 */
public record DemoSettings(
        int nodes, Duration baseline, Duration duration, double speedup, Path traces, Path out, long seed) {
    /** Default: 200 nodes, 1 min of prod only, then 3 min with every tier, traces at 300× (4 trace hours / min… 20 h in all). */
    public static final int DEFAULT_NODES = 200;

    public static final Duration DEFAULT_BASELINE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(3);
    public static final double DEFAULT_SPEEDUP = 300;

    public DemoSettings {
        if (nodes < 1 || nodes > 5000) {
            throw new IllegalArgumentException("--nodes must be between 1 and 5000, was " + nodes);
        }
        if (baseline.isNegative() || duration.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("--baseline must be ≥ 0 and --duration at least 10s");
        }
        if (!(speedup >= 1 && speedup <= 10_000)) {
            throw new IllegalArgumentException("--speedup must be in [1, 10000], was " + speedup);
        }
    }
}
