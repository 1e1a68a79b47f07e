package io.qshard.shard.usage;

import io.qshard.predict.PredictorConfig;
import io.qshard.predict.SeriesPredictor;
import java.util.HashMap;
import java.util.Map;

/**
 * The predictors behind the usage view: one {@link SeriesPredictor} per (node, series) — a series being the node's
 * own cpu or memory, or one tier's — fed from usage reports, answering the pools' {@code usage(tier)} with
 * {@code predictPeak} and the {@code HotspotAvoidance} plugin with each node's cpu hotspot probability.
 *
 * <p>Not thread-safe: owned by the usage view's thread (a scheduler's decision thread), which publishes what plugins
 * need into the snapshot's node states. Values are percent of the node's capacity. Memory: about 3.9 KB per series
 * (predictors/RESULTS.md).
 */
public final class UsagePredictions {
    /** The series of a node whose hotspot probability the scheduler reads. */
    public static final String NODE_CPU = "node/cpu";
    /** The node's memory series. */
    public static final String NODE_MEMORY = "node/memory";

    private final PredictorConfig config;
    private final Map<String, Map<String, SeriesPredictor>> byNode = new HashMap<>();
    private final Map<String, Double> hotspots = new HashMap<>();

    /** @param config horizon, quantile, hotspot threshold and cut of every predictor */
    public UsagePredictions(PredictorConfig config) {
        this.config = config;
    }

    /**
     * Feeds one sample of one series of a node; writer thread only.
     *
     * @param node        node name
     * @param series      {@link #NODE_CPU}, {@code node/memory} or {@code <tier>/<resource>}
     * @param timeSeconds sample time (epoch seconds)
     * @param percent     usage in percent of the node's capacity; invalid or out-of-order samples are ignored by
     *                    the predictor and counted there
     */
    public void observe(String node, String series, long timeSeconds, double percent) {
        SeriesPredictor p = byNode.computeIfAbsent(node, n -> new HashMap<>())
                .computeIfAbsent(series, s -> SeriesPredictor.ensemble(config));
        p.observe(timeSeconds, percent);
        if (NODE_CPU.equals(series)) {
            double probability = p.hotspotProbability(config.hotspotThreshold(), config.horizonSeconds());
            hotspots.put(node, Double.isNaN(probability) ? 0 : probability);
        }
    }

    /**
     * The predicted peak of one series over the horizon at the configured quantile; writer thread only.
     *
     * @return percent of capacity, or NaN when the series has no sample yet (the caller falls back to requests)
     */
    public double predictedPeak(String node, String series) {
        SeriesPredictor p = byNode.getOrDefault(node, Map.of()).get(series);
        return p == null ? Double.NaN : p.predictPeak(config.horizonSeconds(), config.selectionQuantile());
    }

    /**
     * The predicted peak of one series over another horizon, at another quantile; writer thread only.
     *
     * @return percent of capacity, or NaN without samples
     */
    public double predictedPeak(String node, String series, long horizonSeconds, double quantile) {
        SeriesPredictor p = byNode.getOrDefault(node, Map.of()).get(series);
        return p == null ? Double.NaN : p.predictPeak(horizonSeconds, quantile);
    }

    /** Drops every series of a deleted node; writer thread only. */
    public void forget(String node) {
        byNode.remove(node);
        hotspots.remove(node);
    }

    /** @return the number of series held */
    public int seriesCount() {
        return byNode.values().stream().mapToInt(Map::size).sum();
    }

    /** @return the node's cpu hotspot probability after its latest sample, [0, 1]; 0 when unknown */
    public double hotspotProbability(String nodeName) {
        return hotspots.getOrDefault(nodeName, 0.0);
    }
}
