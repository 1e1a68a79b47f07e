package io.qshard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap per series predictor (default ensemble) after a full GC, for N series warmed with one day of one-minute
 * samples (the state is fixed-size arrays, so a longer history does not grow it). The default, 80,000 series, is
 * 10,000 nodes × 2 resources × 4 tiers; also prints the checkpoint size of one series.
 *
 * <pre>java -Xmx1g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.qshard.bench.PredictorHeapBench 80000</pre>
 */
public final class PredictorHeapBench {
    private PredictorHeapBench() {}

    public static void main(String[] args) {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 80_000;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mem);
        PredictorFleet fleet = new PredictorFleet(series, 86_400);
        long after = usedAfterGc(mem);
        long fleetArrays = 16L * 1024 * 8 + 16 + 4L * series; // the shared value curve and the reference array
        double perSeries = (after - before - fleetArrays) / (double) series;
        System.out.printf(
                Locale.ROOT,
                "%d series: %.1f MiB after full GC, %.0f bytes per series; checkpoint of one " + "series %d bytes%n",
                series,
                (after - before) / (1024.0 * 1024.0),
                perSeries,
                fleet.predictors[0].checkpoint().length);
        if (fleet.predictors.length < 0) {
            System.out.println();
        }
    }

    private static long usedAfterGc(MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return mem.getHeapMemoryUsage().getUsed();
    }
}
