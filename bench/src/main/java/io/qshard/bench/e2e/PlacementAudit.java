package io.qshard.bench.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the bound pods of a {@link TopologyWorkload} round stand against their required rules, read from the API after
 * the contender stopped. Immutable.
 *
 * <p><b>Anti-affinity</b> (required, {@code kubernetes.io/hostname}, own app): no two pods of an app may ever share a
 * node. Counted as the pods beyond the first of their app on a node.
 *
 * <p><b>Spread</b> (zone, DoNotSchedule, own app): the scheduler checks the skew when it places each pod, against the
 * pods of the app bound or assumed before it, over every zone an eligible node is in (here every node is eligible;
 * a zone without a pod of the app counts 0): zone z is allowed only if {@code count(z) + 1 − min ≤ maxSkew}. Starting
 * from no pod of the app (each round has a fresh namespace), {@code max − min ≤ maxSkew} then holds after every
 * placement — whichever subset of the pods ends up bound, in whatever order — so it must hold at the end, per app,
 * over all the fleet's zones; with 10 replicas bound in 10 zones and maxSkew 1 that is exactly one per zone. A pod on
 * a node without the zone label (never eligible for a zone constraint) is a violation too. Counted as apps.
 *
 * @param bound        pods with a node
 * @param antiAffinity pods sharing a node with another pod of their app (k − 1 per node and app with k > 1)
 * @param spread       apps whose zone counts differ by more than maxSkew, or with a pod on a node without a zone
 * @param examples     the first few violations, described (at most {@link #EXAMPLES})
 */
record PlacementAudit(int bound, int antiAffinity, int spread, List<String> examples) {
    static final int EXAMPLES = 5;

    /** A bound pod: its name, the value of its app label, its node. */
    record Placed(String name, String app, String node) {}

    PlacementAudit {
        examples = List.copyOf(examples);
    }

    /**
     * Audits {@code placed} against the fleet's zones.
     *
     * @param zoneOfNode node name → zone label, for every node of the fleet that has one
     * @param maxSkew    the constraint's maxSkew, ≥ 1
     */
    static PlacementAudit of(List<Placed> placed, Map<String, String> zoneOfNode, int maxSkew) {
        TreeSet<String> zones = new TreeSet<>(zoneOfNode.values());
        Map<String, Map<String, Integer>> perNode = new TreeMap<>();
        Map<String, Map<String, Integer>> perZone = new TreeMap<>();
        Map<String, Integer> withoutZone = new HashMap<>();
        for (Placed p : placed) {
            perNode.computeIfAbsent(p.app(), a -> new TreeMap<>()).merge(p.node(), 1, Integer::sum);
            Map<String, Integer> counts = perZone.computeIfAbsent(p.app(), a -> zeroes(zones));
            String zone = zoneOfNode.get(p.node());
            if (zone == null) {
                withoutZone.merge(p.app(), 1, Integer::sum);
            } else {
                counts.merge(zone, 1, Integer::sum);
            }
        }
        List<String> examples = new ArrayList<>();
        int anti = 0;
        for (Map.Entry<String, Map<String, Integer>> app : perNode.entrySet()) {
            for (Map.Entry<String, Integer> node : app.getValue().entrySet()) {
                if (node.getValue() > 1) {
                    anti += node.getValue() - 1;
                    note(examples, app.getKey() + ": " + node.getValue() + " pods on " + node.getKey());
                }
            }
        }
        int spread = 0;
        for (Map.Entry<String, Map<String, Integer>> app : perZone.entrySet()) {
            Map<String, Integer> counts = app.getValue();
            int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int stray = withoutZone.getOrDefault(app.getKey(), 0);
            if (max - min > maxSkew || stray > 0) {
                spread++;
                note(
                        examples,
                        app.getKey() + ": pods per zone " + counts
                                + (stray > 0 ? ", " + stray + " on nodes without a zone" : ""));
            }
        }
        return new PlacementAudit(placed.size(), anti, spread, examples);
    }

    /** Anti-affinity and spread violations together; 0 = every required rule held. */
    int violations() {
        return antiAffinity + spread;
    }

    @Override
    public String toString() {
        return bound + " bound pods audited: " + antiAffinity + " anti-affinity violations (pods), " + spread
                + " spread violations (apps)" + (examples.isEmpty() ? "" : ", e.g. " + examples);
    }

    private static Map<String, Integer> zeroes(TreeSet<String> zones) {
        Map<String, Integer> m = new TreeMap<>();
        zones.forEach(z -> m.put(z, 0));
        return m;
    }

    private static void note(List<String> examples, String what) {
        if (examples.size() < EXAMPLES) {
            examples.add(what);
        }
    }
}
