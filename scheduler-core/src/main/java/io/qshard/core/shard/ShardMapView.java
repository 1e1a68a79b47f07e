package io.qshard.core.shard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A tier's shard map as the instances read it: how many shards, the epoch, where an epoch change stands, the
 * assignment in force and, during a change, the target. Immutable; {@link #validate} names every problem of a map
 * that must not be acted on.
 *
 * @param tier       the tier
 * @param shards     number of shards, 1..64 (during a change: the new number)
 * @param epoch      ≥ 1, raised by every change
 * @param phase      where the change stands
 * @param assignment shard → nodes in force
 * @param target     during a change: shard → nodes afterwards (empty when STABLE)
 */
public record ShardMapView(
        String tier,
        int shards,
        long epoch,
        ShardPhase phase,
        Map<Integer, Set<String>> assignment,
        Map<Integer, Set<String>> target) {
    /** The most shards a tier may have. */
    public static final int MAX_SHARDS = 64;

    public ShardMapView {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(phase, "phase");
        assignment = copy(assignment);
        target = copy(target);
    }

    /**
     * The nodes shard {@code shard} may place on now: STABLE its assignment; RELEASING what it keeps (in both the
     * assignment and the target); ACQUIRING its target.
     */
    public Set<String> activeNodes(int shard) {
        Set<String> now = assignment.getOrDefault(shard, Set.of());
        return switch (phase) {
            case STABLE -> now;
            case RELEASING -> {
                Set<String> keep = new HashSet<>(now);
                keep.retainAll(target.getOrDefault(shard, Set.of()));
                yield Set.copyOf(keep);
            }
            case ACQUIRING -> target.getOrDefault(shard, Set.of());
        };
    }

    /**
     * @return how many shards pending pods are spread over: while RELEASING the old count (a new shard has no node yet;
     *         pods it owned would wait for nothing), else {@link #shards}
     */
    public int ownershipShards() {
        if (phase != ShardPhase.RELEASING) {
            return shards;
        }
        int old = assignment.keySet().stream().mapToInt(i -> i + 1).max().orElse(shards);
        return Math.max(1, Math.min(old, shards));
    }

    /** @return the shard a node belongs to in the assignment in force, or -1 */
    public int shardOf(String node) {
        for (Map.Entry<Integer, Set<String>> e : assignment.entrySet()) {
            if (e.getValue().contains(node)) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** @return every node the map mentions */
    public Set<String> nodes() {
        Set<String> all = new HashSet<>();
        assignment.values().forEach(all::addAll);
        target.values().forEach(all::addAll);
        return all;
    }

    /** @return this map with the assignment replaced (STABLE, same epoch): node additions and removals */
    public ShardMapView withAssignment(Map<Integer, Set<String>> next) {
        return new ShardMapView(tier, shards, epoch, phase, next, target);
    }

    /**
     * Everything that makes a map unusable, each naming the field: shard counts out of range, shards beyond the count,
     * a node in two shards (of the assignment or of the target), an epoch below 1, a change without a target.
     *
     * @return the problems; empty for a valid map
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (shards < 1 || shards > MAX_SHARDS) {
            problems.add("spec.shards " + shards + " is out of range 1.." + MAX_SHARDS);
        }
        if (epoch < 1) {
            problems.add("spec.epoch is missing or below 1");
        }
        twice("spec.assignment", assignment, problems);
        twice("spec.target", target, problems);
        if (phase != ShardPhase.STABLE && target.isEmpty()) {
            problems.add("spec.target is empty while spec.phase is " + phase);
        }
        int highest = phase == ShardPhase.STABLE
                ? shards
                : Math.max(
                        shards,
                        assignment.keySet().stream().mapToInt(i -> i + 1).max().orElse(0));
        for (int s : assignment.keySet()) {
            if (s < 0 || s >= highest) {
                problems.add("spec.assignment names shard " + s + ", outside 0.." + (shards - 1));
            }
        }
        for (int s : target.keySet()) {
            if (s < 0 || s >= shards) {
                problems.add("spec.target names shard " + s + ", outside 0.." + (shards - 1));
            }
        }
        return problems;
    }

    private static void twice(String field, Map<Integer, Set<String>> map, List<String> problems) {
        Map<String, Integer> seen = new HashMap<>();
        for (Map.Entry<Integer, Set<String>> e : map.entrySet()) {
            for (String node : e.getValue()) {
                Integer other = seen.put(node, e.getKey());
                if (other != null && !other.equals(e.getKey())) {
                    problems.add(field + ": node " + node + " is in shards " + Math.min(other, e.getKey()) + " and "
                            + Math.max(other, e.getKey()));
                }
            }
        }
    }

    private static Map<Integer, Set<String>> copy(Map<Integer, Set<String>> m) {
        Map<Integer, Set<String>> out = new HashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        }
        return Map.copyOf(out);
    }
}
