package io.qshard.bench.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a preemption surge did, as seen by a watch: when each victim went (node, workload) and when each preemptor was
 * bound; then the caps audit — the most victims in any trailing window, overall, per node and per workload. Times in
 * {@link System#nanoTime} nanoseconds. Thread-safe (synchronized).
 */
final class SurgeLedger {
    record Gone(long at, String node, String workload) {}

    private final List<Gone> gone = new ArrayList<>();
    private final List<Long> bound = new ArrayList<>();

    synchronized void victim(long at, String node, String workload) {
        gone.add(new Gone(at, node, workload));
    }

    synchronized void bound(long at) {
        bound.add(at);
    }

    synchronized int victims() {
        return gone.size();
    }

    synchronized int boundCount() {
        return bound.size();
    }

    /** Bind times since {@code t0}, seconds, sorted. */
    synchronized double[] bindSeconds(long t0) {
        return bound.stream().mapToDouble(t -> (t - t0) / 1e9).sorted().toArray();
    }

    /** The most victims gone within any window of {@code windowNanos}, over all of them. */
    synchronized int maxInWindow(long windowNanos) {
        return maxBy(windowNanos, g -> "all");
    }

    /** The most victims of one node gone within any window of {@code windowNanos}. */
    synchronized int maxPerNode(long windowNanos) {
        return maxBy(windowNanos, Gone::node);
    }

    /** The most victims of one workload gone within any window of {@code windowNanos}. */
    synchronized int maxPerWorkload(long windowNanos) {
        return maxBy(windowNanos, Gone::workload);
    }

    private int maxBy(long window, Function<Gone, String> key) {
        Map<String, List<Long>> times = new HashMap<>();
        for (Gone g : gone) {
            times.computeIfAbsent(key.apply(g), k -> new ArrayList<>()).add(g.at());
        }
        int max = 0;
        for (List<Long> ts : times.values()) {
            ts.sort(null);
            for (int i = 0, j = 0; j < ts.size(); j++) {
                while (ts.get(j) - ts.get(i) >= window) {
                    i++;
                }
                max = Math.max(max, j - i + 1);
            }
        }
        return max;
    }
}
