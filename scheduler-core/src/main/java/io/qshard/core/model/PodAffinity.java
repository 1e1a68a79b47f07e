package io.qshard.core.model;

import java.util.List;

/**
 * A pod's inter-pod affinity and anti-affinity ({@code spec.affinity.podAffinity}/{@code podAntiAffinity}). Immutable.
 *
 * @param required      affinity terms that must all hold ({@code requiredDuringSchedulingIgnoredDuringExecution})
 * @param preferred     weighted affinity terms (weight 1..100) that raise a node's score
 * @param requiredAnti  anti-affinity terms that must all hold
 * @param preferredAnti weighted anti-affinity terms that lower a node's score
 */
public record PodAffinity(
        List<PodAffinityTerm> required,
        List<Weighted> preferred,
        List<PodAffinityTerm> requiredAnti,
        List<Weighted> preferredAnti) {
    /** No inter-pod affinity. */
    public static final PodAffinity NONE = new PodAffinity(List.of(), List.of(), List.of(), List.of());

    public PodAffinity {
        required = List.copyOf(required);
        preferred = List.copyOf(preferred);
        requiredAnti = List.copyOf(requiredAnti);
        preferredAnti = List.copyOf(preferredAnti);
    }

    /**
     * A preferred term and its weight.
     *
     * @param weight 1..100
     * @param term   the term
     */
    public record Weighted(int weight, PodAffinityTerm term) {}

    /** Whether there are no terms at all. */
    public boolean isEmpty() {
        return required.isEmpty() && preferred.isEmpty() && requiredAnti.isEmpty() && preferredAnti.isEmpty();
    }
}
