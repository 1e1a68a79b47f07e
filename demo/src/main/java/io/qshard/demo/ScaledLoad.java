package io.qshard.demo;

import io.qshard.simulator.BackgroundLoad;
import java.util.List;

/**
 * A {@link BackgroundLoad} whose cpu is another's times a constant factor, chosen so that the fleet's prod load peaks
 * at a target share of the cores — the seed's situation (prod requests ~80 % of the cores and uses ~25 % at its
 * peaks) whatever the traces are. {@link #toPeak} samples the load of the given nodes every {@code step} seconds over
 * {@code [0, horizon]}, takes the highest fleet mean (unweighted over the nodes) and scales cpu by {@code target /
 * peak}, clamped to [{@value #MIN_FACTOR}, {@value #MAX_FACTOR}]; each scaled value is capped at 1.0 (the node's real
 * allocatable). Memory is unchanged. Immutable and thread-safe when the wrapped load is.
 */
public final class ScaledLoad implements BackgroundLoad {
    /** The smallest factor applied. */
    public static final double MIN_FACTOR = 0.1;
    /** The largest factor applied. */
    public static final double MAX_FACTOR = 10;

    private final BackgroundLoad load;
    private final double factor;
    private final double peak;

    private ScaledLoad(BackgroundLoad load, double factor, double peak) {
        this.load = load;
        this.factor = factor;
        this.peak = peak;
    }

    /**
     * @param load    the load to scale
     * @param nodes   the names of the nodes it plays, in the simulator's index order (name {@code i} has index
     *                {@code i}); at least one
     * @param horizon the run's length in seconds of {@code elapsedSeconds} (the load's own speed-up applies inside), ≥ 0
     * @param step    seconds between two samples, &gt; 0
     * @param target  the fleet-mean cpu peak wanted, in (0, 1]
     * @throws IllegalArgumentException naming the bad parameter
     */
    public static ScaledLoad toPeak(
            BackgroundLoad load, List<String> nodes, double horizon, double step, double target) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: at least one node is needed");
        }
        if (!(horizon >= 0 && horizon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("horizon must be finite and >= 0, was " + horizon);
        }
        if (!(step > 0 && step < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("step must be finite and > 0, was " + step);
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--prod-peak must be in (0, 1], was " + target);
        }
        double peak = 0;
        long samples = (long) Math.floor(horizon / step);
        for (long k = 0; k <= samples; k++) {
            double t = k * step;
            double sum = 0;
            for (int i = 0; i < nodes.size(); i++) {
                sum += load.cpu(nodes.get(i), i, t);
            }
            peak = Math.max(peak, sum / nodes.size());
        }
        double factor = peak > 0 ? Math.max(MIN_FACTOR, Math.min(MAX_FACTOR, target / peak)) : MAX_FACTOR;
        return new ScaledLoad(load, factor, peak);
    }

    /** The factor applied to cpu, in [{@value #MIN_FACTOR}, {@value #MAX_FACTOR}]. */
    public double factor() {
        return factor;
    }

    /** The fleet-mean cpu peak of the wrapped load over the sampled horizon, a fraction (before scaling). */
    public double peak() {
        return peak;
    }

    /** The fleet-mean cpu peak after scaling (before the per-value cap at 1.0), a fraction. */
    public double scaledPeak() {
        return peak * factor;
    }

    @Override
    public double cpu(String node, int index, double elapsedSeconds) {
        return Math.min(1.0, factor * load.cpu(node, index, elapsedSeconds));
    }

    @Override
    public double memory(String node, int index, double elapsedSeconds) {
        return load.memory(node, index, elapsedSeconds);
    }
}
