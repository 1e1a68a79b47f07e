package io.qshard.core.replicas;

/**
 * What a workload's owner asks of replica hosting ({@link HostingAnnotations}). Immutable.
 *
 * @param enabled {@code qshard.io/replica-hosting: "true"}
 * @param min     the fewest replicas hosting sets, ≥ 0
 * @param max     the most replicas hosting sets, ≥ max(min, 1)
 */
public record HostingSpec(boolean enabled, int min, int max) {
    /** Not opted in. */
    public static final HostingSpec OFF = new HostingSpec(false, 0, 0);

    /** @return {@code n} clamped into [min, max] */
    public int clamp(int n) {
        return Math.max(min, Math.min(max, n));
    }
}
