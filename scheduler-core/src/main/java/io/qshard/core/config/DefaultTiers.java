package io.qshard.core.config;

import io.qshard.core.model.PoolRule;
import io.qshard.core.model.Tier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four tiers qshard ships with (docs/architecture.md, "Tiers and how each sizes its pods"). A {@code qshard.yaml} may override any
 * field of these or add tiers.
 */
public final class DefaultTiers {
    public static final String PROD = "prod";
    public static final String MID = "mid";
    public static final String BATCH = "batch";
    public static final String FREE = "free";

    /** Prefix of every default schedulerName: {@code qshard-<tier>}. */
    public static final String SCHEDULER_NAME_PREFIX = "qshard-";

    /**
     * Filters every tier runs, in kube-scheduler 1.20's order (a node failing several is reported under the first):
     * unschedulable, taints, node affinity, host ports, resources, volumes (restrictions, CSI limits, binding, zones),
     * then the topology plugins (which also score: {@link #TOPOLOGY_WEIGHTS}). TaintToleration, NodeAffinity, NodePorts
     * and the volume plugins step aside (PreFilter SKIP) for most pods.
     * SchedulingGates, first, is no filter: it holds pods with scheduling gates out of the queue (PreEnqueue).
     */
    public static final List<String> DEFAULT_FILTERS = List.of(
            "SchedulingGates",
            "NodeUnschedulable",
            "TaintToleration",
            "NodeAffinity",
            "NodePorts",
            "TierResourceFit",
            "VolumeRestrictions",
            "NodeVolumeLimits",
            "VolumeBinding",
            "VolumeZone",
            "PodTopologySpread",
            "InterPodAffinity");
    /** kube-scheduler 1.20's default weights of the topology plugins' scores. */
    public static final Map<String, Integer> TOPOLOGY_WEIGHTS = Map.of("PodTopologySpread", 2, "InterPodAffinity", 1);
    /** Scorers for prod: spread by requests, keep cpu/memory balanced, mix profiles, prefer nodes with the images. */
    public static final List<String> PROD_SCORERS =
            List.of("LeastAllocated", "BalancedAllocation", "ComplementaryProfile", "ImageLocality");
    /** Scorers for the borrowing tiers (grown by the usage and predictor plugins later). */
    public static final List<String> POOL_SCORERS =
            List.of("LeastAllocated", "BalancedAllocation", "ComplementaryProfile", "ImageLocality");

    private DefaultTiers() {}

    /** prod, mid, batch, free — in priority order. */
    public static List<Tier> all() {
        return List.of(
                tier(PROD, 9000, PoolRule.ALLOCATABLE),
                tier(MID, 7000, PoolRule.MID_POOL),
                tier(BATCH, 5000, PoolRule.BATCH_POOL),
                tier(FREE, 3000, PoolRule.FREE_POOL));
    }

    /** The default tier named {@code name}. */
    public static Tier named(String name) {
        return all().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("unknown tier '" + name + "' (known: prod, mid, batch, free)"));
    }

    /** The PostFilter of the tiers sized by requests: kube-scheduler 1.20's preemption. */
    public static final String PREEMPTION = "DefaultPreemption";

    /** Filters the borrowing tiers run besides {@link #DEFAULT_FILTERS}: keep off hot nodes (the migration rule). */
    public static final List<String> POOL_FILTERS = List.of("AvoidHotNodes");

    /** The default plugin list for a tier drawing on {@code rule} (filters, then scorers). */
    public static List<String> pluginsFor(PoolRule rule) {
        List<String> plugins = new ArrayList<>(DEFAULT_FILTERS);
        if (rule != PoolRule.ALLOCATABLE) {
            plugins.addAll(POOL_FILTERS);
        } else {
            plugins.add(PREEMPTION); // pools measured on usage: removing a pod frees nothing they count (yet)
        }
        plugins.addAll(rule == PoolRule.ALLOCATABLE ? PROD_SCORERS : POOL_SCORERS);
        return List.copyOf(plugins);
    }

    /** Weight 1 for every score plugin of the default list (written out, as in manifests/qshard.yaml). */
    public static Map<String, Integer> weightsFor(PoolRule rule) {
        Map<String, Integer> w = new LinkedHashMap<>();
        (rule == PoolRule.ALLOCATABLE ? PROD_SCORERS : POOL_SCORERS).forEach(p -> w.put(p, 1));
        w.put("PodTopologySpread", TOPOLOGY_WEIGHTS.get("PodTopologySpread"));
        w.put("InterPodAffinity", TOPOLOGY_WEIGHTS.get("InterPodAffinity"));
        return w;
    }

    private static Tier tier(String name, int priority, PoolRule rule) {
        return new Tier(name, SCHEDULER_NAME_PREFIX + name, priority, rule, pluginsFor(rule), weightsFor(rule), 1);
    }
}
