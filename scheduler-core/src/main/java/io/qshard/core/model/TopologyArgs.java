package io.qshard.core.model;

import java.util.List;

/**
 * A tier's arguments for the topology plugins, as kube-scheduler's {@code InterPodAffinityArgs} and
 * {@code PodTopologySpreadArgs}. Immutable.
 *
 * @param hardPodAffinityWeight weight (0..100) an existing pod's required affinity term adds to the score of nodes in
 *                              its domain when it selects the incoming pod
 * @param defaultConstraints    spread constraints applied to pods without their own; their selectors are placeholders
 *                              ({@link LabelSelector#NOTHING}): each pod gets the selector of its Services and
 *                              controller, and none when it has neither
 */
public record TopologyArgs(int hardPodAffinityWeight, List<TopologySpreadConstraint> defaultConstraints) {
    /** kube-scheduler's default {@code hardPodAffinityWeight}. */
    public static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;
    /** kube-scheduler's system default constraints: hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway. */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
            TopologySpreadConstraint.of(
                    TopologySpreadConstraint.DEFAULT_HOSTNAME_SKEW,
                    TopologySpreadConstraint.HOSTNAME_KEY,
                    false,
                    LabelSelector.NOTHING),
            TopologySpreadConstraint.of(
                    TopologySpreadConstraint.DEFAULT_ZONE_SKEW,
                    TopologySpreadConstraint.ZONE_KEY,
                    false,
                    LabelSelector.NOTHING));
    /** The defaults: hard weight 1, the system default constraints. */
    public static final TopologyArgs DEFAULTS =
            new TopologyArgs(DEFAULT_HARD_POD_AFFINITY_WEIGHT, SYSTEM_DEFAULT_CONSTRAINTS);

    public TopologyArgs {
        if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
            throw new IllegalArgumentException("hardPodAffinityWeight must be in 0..100, was " + hardPodAffinityWeight);
        }
        defaultConstraints = List.copyOf(defaultConstraints);
    }
}
