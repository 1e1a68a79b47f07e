package io.qshard.shard.shardmap;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.qshard.core.shard.ShardMapView;
import io.qshard.core.shard.ShardPhase;
import io.qshard.kube.api.ShardMap;
import io.qshard.kube.api.ShardMapSpec;
import io.qshard.kube.convert.ConversionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code ShardMap} ↔ {@link ShardMapView}, at the edge; a map that must not be acted on is a {@link ConversionException}. */
public final class ShardMaps {
    private ShardMaps() {}

    /** @throws ConversionException naming every problem (missing fields, a node in two shards, …) */
    public static ShardMapView convert(ShardMap map) {
        String tier = map.getMetadata().getName();
        ShardMapSpec s = map.getSpec();
        if (s == null) {
            throw new ConversionException("ShardMap " + tier + ": spec is missing");
        }
        List<String> problems = new ArrayList<>();
        if (s.getEpoch() == null) {
            problems.add("spec.epoch is missing or below 1");
        }
        ShardPhase phase = ShardPhase.STABLE;
        try {
            phase = s.getPhase() == null
                    ? ShardPhase.STABLE
                    : ShardPhase.valueOf(s.getPhase().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("spec.phase '" + s.getPhase() + "' is not Stable, Releasing or Acquiring");
        }
        ShardMapView view = new ShardMapView(
                tier,
                s.getShards() == null ? 0 : s.getShards(),
                s.getEpoch() == null ? 0 : s.getEpoch(),
                phase,
                shards(s.getAssignment(), "spec.assignment", problems),
                shards(s.getTarget(), "spec.target", problems));
        for (String p : view.validate()) {
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConversionException("ShardMap " + tier + " refused: " + String.join("; ", problems));
        }
        return view;
    }

    /** The API object for a view (name = tier), status not set. */
    public static ShardMap toApi(ShardMapView v) {
        ShardMap m = new ShardMap();
        m.setMetadata(new ObjectMetaBuilder().withName(v.tier()).build());
        ShardMapSpec s = new ShardMapSpec();
        s.setShards(v.shards());
        s.setEpoch(v.epoch());
        s.setPhase(phaseName(v.phase()));
        s.setAssignment(lists(v.assignment()));
        s.setTarget(lists(v.target()));
        m.setSpec(s);
        return m;
    }

    /** "Stable", "Releasing", "Acquiring". */
    public static String phaseName(ShardPhase p) {
        String n = p.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static Map<Integer, Set<String>> shards(Map<String, List<String>> in, String field, List<String> problems) {
        Map<Integer, Set<String>> out = new HashMap<>();
        if (in == null) {
            return out;
        }
        in.forEach((k, nodes) -> {
            try {
                int shard = Integer.parseInt(k);
                Set<String> set = new HashSet<>();
                for (String n : nodes == null ? List.<String>of() : nodes) {
                    if (!set.add(n)) {
                        problems.add(field + "." + k + " lists node " + n + " twice");
                    }
                }
                out.put(shard, set);
            } catch (NumberFormatException e) {
                problems.add(field + " key '" + k + "' is not a shard number");
            }
        });
        return out;
    }

    private static Map<String, List<String>> lists(Map<Integer, Set<String>> in) {
        Map<String, List<String>> out =
                new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        in.forEach((k, v) -> out.put(Integer.toString(k), v.stream().sorted().toList()));
        return new java.util.LinkedHashMap<>(out);
    }
}
