package io.qshard.core.shard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a balanced assignment of a tier's nodes to {@code shards} with few moves: every node stays where it is
 * unless its shard is above its share of the weight (allocatable cpu, plus requested cpu as the load), and moves go
 * from the heaviest shard to the lightest, each time the node that best closes the gap, until no move improves the
 * balance or {@code maxMoves} is reached. Nodes of shards that no longer exist (fewer shards) always move. Pure.
 */
public final class Rebalancer {
    private Rebalancer() {}

    /** A node move. */
    public record Move(String node, int from, int to) {}

    /** The target assignment and the moves that get there. */
    public record Plan(Map<Integer, Set<String>> target, List<Move> moves, boolean complete) {}

    /**
     * @param current  shard → nodes now
     * @param weight   node → its weight (e.g. allocatable cpu + requested cpu, milli-cores); unknown nodes weigh 0
     * @param shards   the new shard count, ≥ 1
     * @param maxMoves the most nodes to move (Integer.MAX_VALUE for no limit)
     * @return the plan; {@code complete} is false when the limit stopped it short of balance
     */
    public static Plan plan(Map<Integer, Set<String>> current, Map<String, Long> weight, int shards, int maxMoves) {
        Map<Integer, Set<String>> target = new HashMap<>();
        for (int s = 0; s < shards; s++) {
            target.put(s, new HashSet<>());
        }
        List<Move> moves = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        current.forEach((s, nodes) -> {
            if (s < shards) {
                target.get(s).addAll(nodes);
            } else {
                orphans.addAll(nodes);
            }
        });
        orphans.sort(Comparator.comparingLong((String n) -> -weight.getOrDefault(n, 0L))
                .thenComparing(n -> n));
        for (String n : orphans) { // nodes of removed shards: to the lightest shard, always
            int to = lightest(target, weight);
            target.get(to).add(n);
            moves.add(new Move(n, shardOf(current, n), to));
        }
        boolean complete = true;
        while (true) {
            int heavy = heaviest(target, weight);
            int light = lightest(target, weight);
            long gap = load(target.get(heavy), weight) - load(target.get(light), weight);
            String best = null;
            long bestGap = gap;
            for (String n : target.get(heavy)) {
                long w = weight.getOrDefault(n, 0L);
                long after = Math.abs(gap - 2 * w);
                if (after < bestGap || (after == bestGap && best != null && n.compareTo(best) < 0)) {
                    best = n;
                    bestGap = after;
                }
            }
            if (best == null) {
                break;
            }
            if (moves.size() >= maxMoves) {
                complete = false;
                break;
            }
            target.get(heavy).remove(best);
            target.get(light).add(best);
            moves.add(new Move(best, heavy, light));
        }
        return new Plan(target, moves, complete);
    }

    private static long load(Set<String> nodes, Map<String, Long> weight) {
        long sum = 0;
        for (String n : nodes) {
            sum += weight.getOrDefault(n, 0L);
        }
        return sum;
    }

    private static int heaviest(Map<Integer, Set<String>> a, Map<String, Long> w) {
        return a.keySet().stream()
                .max(Comparator.comparingLong((Integer s) -> load(a.get(s), w)).thenComparing(s -> -s))
                .orElseThrow();
    }

    private static int lightest(Map<Integer, Set<String>> a, Map<String, Long> w) {
        return a.keySet().stream()
                .min(Comparator.comparingLong((Integer s) -> load(a.get(s), w)).thenComparing(s -> s))
                .orElseThrow();
    }

    private static int shardOf(Map<Integer, Set<String>> a, String node) {
        return a.entrySet().stream()
                .filter(e -> e.getValue().contains(node))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(-1);
    }

    /** The lightest shard of an assignment: where a new node goes. */
    public static int leastLoaded(Map<Integer, Set<String>> assignment, int shards, Map<String, Long> weight) {
        Map<Integer, Set<String>> all = new HashMap<>();
        for (int s = 0; s < shards; s++) {
            all.put(s, assignment.getOrDefault(s, Set.of()));
        }
        return lightest(all, weight);
    }
}
