package io.qshard.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@code qshard simulate} plays its nodes. Immutable.
 *
 * @param nodeLabels  the nodes to play: every label must match (empty: every node)
 * @param load        the background (prod) load per node
 * @param utilisation the usage model of the other pods
 * @param interval    how often each node reports, ≥ 1 s
 * @param writers     concurrent API writes, 1..256
 * @param isolation   whether to play the node agent's isolation too (batch and free throttled to the besteffort box)
 */
public record SimulationSettings(
        Map<String, String> nodeLabels,
        BackgroundLoad load,
        PodUtilisation utilisation,
        Duration interval,
        int writers,
        boolean isolation) {
    /** Default report interval: 10 s. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default concurrent writes: 16. */
    public static final int DEFAULT_WRITERS = 16;

    /** @throws IllegalArgumentException naming the setting out of range */
    public SimulationSettings {
        nodeLabels = Map.copyOf(nodeLabels);
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(utilisation, "utilisation");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("interval must be at least 1s, was " + interval);
        }
        if (writers < 1 || writers > 256) {
            throw new IllegalArgumentException("writers must be in 1..256, was " + writers);
        }
    }

    /** Every node, constant load, default utilisation, interval and writers, no isolation. */
    public static SimulationSettings of(BackgroundLoad load) {
        return new SimulationSettings(Map.of(), load, PodUtilisation.DEFAULT, DEFAULT_INTERVAL, DEFAULT_WRITERS, false);
    }

    public SimulationSettings withNodeLabels(Map<String, String> labels) {
        return new SimulationSettings(labels, load, utilisation, interval, writers, isolation);
    }

    public SimulationSettings withUtilisation(PodUtilisation u) {
        return new SimulationSettings(nodeLabels, load, u, interval, writers, isolation);
    }

    public SimulationSettings withInterval(Duration i) {
        return new SimulationSettings(nodeLabels, load, utilisation, i, writers, isolation);
    }

    public SimulationSettings withWriters(int w) {
        return new SimulationSettings(nodeLabels, load, utilisation, interval, w, isolation);
    }

    public SimulationSettings withIsolation(boolean on) {
        return new SimulationSettings(nodeLabels, load, utilisation, interval, writers, on);
    }
}
