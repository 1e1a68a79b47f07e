package io.qshard.simulator;

import io.qshard.predict.backtest.Trace;
import java.util.List;

/**
 * The background (prod) load of simulated nodes, replayed from real traces ({@code timestamp_s,cpu_pct,mem_pct}):
 * node {@code i} plays trace {@code i mod n}, starting at a per-node offset so neighbours are not in lock-step, at a
 * chosen speed-up, wrapping around at the end of the trace. Values are fractions of the node's capacity (a sample of
 * 104 % reads 1.04; gaps hold the last value). Immutable and thread-safe.
 */
public final class TraceLoad implements BackgroundLoad {
    private final List<Trace> traces;
    private final double speedup;

    /**
     * @param traces  at least one trace
     * @param speedup simulated trace seconds per real second, &gt; 0
     */
    public TraceLoad(List<Trace> traces, double speedup) {
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("at least one trace is needed");
        }
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speed-up must be > 0, was " + speedup);
        }
        this.traces = List.copyOf(traces);
        this.speedup = speedup;
    }

    /** A constant load (for tests and for runs without traces). */
    public static TraceLoad constant(double cpuFraction, double memoryFraction) {
        Trace t = new Trace(
                "constant",
                "constant",
                new long[] {0, 1},
                new double[] {cpuFraction * 100, cpuFraction * 100},
                new double[] {memoryFraction * 100, memoryFraction * 100});
        return new TraceLoad(List.of(t), 1);
    }

    @Override
    public double cpu(String node, int index, double elapsedSeconds) {
        return cpu(index, elapsedSeconds);
    }

    @Override
    public double memory(String node, int index, double elapsedSeconds) {
        return memory(index, elapsedSeconds);
    }

    /** @return node {@code nodeIndex}'s cpu load at {@code elapsedSeconds} of simulation, as a fraction */
    public double cpu(int nodeIndex, double elapsedSeconds) {
        Trace t = traces.get(Math.floorMod(nodeIndex, traces.size()));
        return t.cpu()[sample(t, nodeIndex, elapsedSeconds)] / 100;
    }

    /** @return node {@code nodeIndex}'s memory load as a fraction; the cpu load when the trace has no memory */
    public double memory(int nodeIndex, double elapsedSeconds) {
        Trace t = traces.get(Math.floorMod(nodeIndex, traces.size()));
        int i = sample(t, nodeIndex, elapsedSeconds);
        double m = t.memory()[i];
        return Double.isNaN(m) ? t.cpu()[i] / 100 : m / 100;
    }

    private int sample(Trace t, int nodeIndex, double elapsedSeconds) {
        long[] time = t.time();
        long span = Math.max(1, time[time.length - 1] - time[0]);
        long offset = (long) (nodeIndex / traces.size()) * 7919L * 60;
        long at = time[0] + Math.floorMod((long) (elapsedSeconds * speedup) + offset, span);
        int i = java.util.Arrays.binarySearch(time, at);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }
}
