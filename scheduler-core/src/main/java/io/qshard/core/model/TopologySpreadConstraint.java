package io.qshard.core.model;

import java.util.Objects;

/**
 * One {@code topologySpreadConstraints} entry. Immutable. Fields newer than Kubernetes 1.20 take their API defaults
 * when the object does not carry them; {@code matchLabelKeys} is folded into {@code selector} by the converter.
 *
 * @param maxSkew            ≥ 1: how unevenly matching pods may be spread over the domains
 * @param topologyKey        node label whose values are the domains
 * @param doNotSchedule      {@code whenUnsatisfiable: DoNotSchedule} (a filter); false = ScheduleAnyway (a score)
 * @param selector           the pods counted, in the pod's own namespace ({@link LabelSelector#NOTHING} when absent)
 * @param minDomains         ≥ 1 (default 1): with fewer eligible domains the global minimum counts as 0
 * @param honorNodeAffinity  {@code nodeAffinityPolicy: Honor} (default): only nodes matching the pod's node
 *                           selector/affinity count as domains
 * @param honorNodeTaints    {@code nodeTaintsPolicy: Honor} (default Ignore): only nodes whose taints the pod
 *                           tolerates count as domains
 */
public record TopologySpreadConstraint(
        int maxSkew,
        String topologyKey,
        boolean doNotSchedule,
        LabelSelector selector,
        int minDomains,
        boolean honorNodeAffinity,
        boolean honorNodeTaints) {
    /** kube-scheduler's system default for hostname spread ({@code maxSkew}). */
    public static final int DEFAULT_HOSTNAME_SKEW = 3;
    /** kube-scheduler's system default for zone spread ({@code maxSkew}). */
    public static final int DEFAULT_ZONE_SKEW = 5;
    /** The node label of hostname domains. */
    public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
    /** The node label of zone domains. */
    public static final String ZONE_KEY = "topology.kubernetes.io/zone";

    public TopologySpreadConstraint {
        if (maxSkew < 1) {
            throw new IllegalArgumentException("maxSkew must be ≥ 1, was " + maxSkew);
        }
        Objects.requireNonNull(topologyKey, "topologyKey");
        Objects.requireNonNull(selector, "selector");
        if (minDomains < 1) {
            throw new IllegalArgumentException("minDomains must be ≥ 1, was " + minDomains);
        }
    }

    /** A 1.20-shaped constraint: minDomains 1, node affinity honoured, taints ignored. */
    public static TopologySpreadConstraint of(
            int maxSkew, String topologyKey, boolean doNotSchedule, LabelSelector selector) {
        return new TopologySpreadConstraint(maxSkew, topologyKey, doNotSchedule, selector, 1, true, false);
    }

    /** This constraint counting the pods {@code selector} picks (system defaults get theirs per pod). */
    public TopologySpreadConstraint withSelector(LabelSelector selector) {
        return new TopologySpreadConstraint(
                maxSkew, topologyKey, doNotSchedule, selector, minDomains, honorNodeAffinity, honorNodeTaints);
    }
}
