package io.qshard.oversale;

import java.util.Optional;

/**
 * A node's oversale ratio for one resource, as its annotation carries it ({@value #CPU_ANNOTATION},
 * {@value #MEMORY_ANNOTATION}): reported allocatable = real allocatable × ratio. Valid ratios are finite numbers in
 * [1, max]; anything else — absent, ≤ 0, below 1, NaN, infinite, above the maximum, not a number — is refused with a
 * reason (the webhook then leaves that resource as the kubelet sent it). Stateless.
 */
public final class OversaleRatio {
    /** Node annotation with the cpu ratio. */
    public static final String CPU_ANNOTATION = "qshard.io/cpu-oversale-ratio";
    /** Node annotation with the memory ratio. */
    public static final String MEMORY_ANNOTATION = "qshard.io/memory-oversale-ratio";
    /** Node label that opts a node in: only nodes with it are sent to the webhook (objectSelector). */
    public static final String OPT_IN_LABEL = "qshard.io/oversale";
    /** Largest ratio anything may ever set: 3. */
    public static final double ABSOLUTE_MAX = 3.0;

    private OversaleRatio() {
    }

    /** A parsed annotation: the ratio, or why it is refused. */
    public record Parsed(double ratio, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /**
     * @param text the annotation's value, or null when absent
     * @param max  the largest ratio allowed, in [1, {@link #ABSOLUTE_MAX}]
     * @return the ratio, or the reason it is refused; empty when the annotation is absent (no oversale)
     */
    public static Optional<Parsed> parse(String text, double max) {
        if (text == null) {
            return Optional.empty();
        }
        double r;
        try {
            r = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Optional.of(new Parsed(Double.NaN, "'" + text + "' is not a number"));
        }
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return Optional.of(new Parsed(r, "'" + text + "' is not a finite number"));
        }
        if (r < 1) {
            return Optional.of(new Parsed(r, r + " is below 1 (a ratio scales allocatable up; 1 means none)"));
        }
        if (r > max) {
            return Optional.of(new Parsed(r, r + " is above the maximum " + max));
        }
        return Optional.of(new Parsed(r, null));
    }

    /** @throws IllegalArgumentException naming the setting when a maximum is out of [1, {@link #ABSOLUTE_MAX}] */
    public static double checkMax(String name, double max) {
        if (!(max >= 1 && max <= ABSOLUTE_MAX)) {
            throw new IllegalArgumentException(name + " must be in [1, " + ABSOLUTE_MAX + "], was " + max);
        }
        return max;
    }
}
