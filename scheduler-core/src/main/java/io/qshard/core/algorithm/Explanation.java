package io.qshard.core.algorithm;

import io.qshard.core.framework.Diagnosis;
import java.util.List;
import java.util.Map;

/**
 * Why a pod goes where it goes, computed over every node of a snapshot (no early stop, no sampling): the filter
 * verdict of each node and, for the feasible ones, each score plugin's normalised score and the weighted total — the
 * same arithmetic as {@link SchedulingAlgorithm#schedule}, which may see fewer nodes (percentageOfNodesToScore) and
 * breaks ties at random. Immutable.
 *
 * @param diagnosis the failing nodes, aggregated as in FailedScheduling (its {@link Diagnosis#message()} when no
 *                  node is feasible); failures of a PreFilter mean no node was looked at
 * @param ranked    the feasible nodes, best first (ties by name)
 * @param plugins   the score plugins' names, in the order of {@link NodeScore#scores}
 * @param weights   their weights, same order
 */
public record Explanation(Diagnosis diagnosis, List<NodeScore> ranked, List<String> plugins, List<Long> weights) {

    /**
     * One feasible node.
     *
     * @param node   its name
     * @param total  Σ weight × score
     * @param scores per plugin name, normalised score in [0, 100] (-1 for a plugin its PreScore skipped)
     */
    public record NodeScore(String node, long total, Map<String, Long> scores) {}

    public Explanation {
        ranked = List.copyOf(ranked);
        plugins = List.copyOf(plugins);
        weights = List.copyOf(weights);
    }

    /** Whether some node fits. */
    public boolean feasible() {
        return !ranked.isEmpty();
    }

    /** The 1-based rank of {@code node} among the feasible nodes, or 0 when it is not feasible. */
    public int rankOf(String node) {
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).node().equals(node)) {
                return i + 1;
            }
        }
        return 0;
    }
}
