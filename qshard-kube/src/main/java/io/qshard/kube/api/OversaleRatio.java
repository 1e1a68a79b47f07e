package io.qshard.kube.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A node's oversale ratio for one resource, as its annotation carries it ({@value #CPU_ANNOTATION},
 * {@value #MEMORY_ANNOTATION}): reported allocatable = real allocatable × ratio. Valid ratios are finite numbers in
 * [1, max]; anything else — absent, ≤ 0, below 1, NaN, infinite, above the maximum, not a number — is refused with a
 * reason (the webhook then leaves that resource at its real value: as a writer sent it, or brought back to it when it
 * was scaled). Stateless.
 */
public final class OversaleRatio {
    /** Node annotation with the cpu ratio. */
    public static final String CPU_ANNOTATION = "qshard.io/cpu-oversale-ratio";
    /** Node annotation with the memory ratio. */
    public static final String MEMORY_ANNOTATION = "qshard.io/memory-oversale-ratio";
    /** Node label that opts a node in: only nodes with it are sent to the webhook (objectSelector). */
    public static final String OPT_IN_LABEL = "qshard.io/oversale";
    /**
     * Node annotation the webhook writes with every allocatable it rewrites: the ratios it actually applied, as
     * {@code cpu=1.5,memory=1.2}. Reported allocatable ÷ this is the real allocatable — not ÷ the ratio annotations,
     * which the controller may have changed since (the node's next {@code nodes/status} write applies them).
     */
    public static final String APPLIED_ANNOTATION = "qshard.io/oversale-applied";
    /**
     * Node annotation the webhook writes next to {@link #APPLIED_ANNOTATION}: the allocatable it left the node with, as
     * {@code cpu=23835m,memory=78218870784} (milli-cores, bytes). The applied ratio holds only while the stored
     * allocatable equals this value; any other value was stored by a write the webhook did not review
     * ({@code failurePolicy: Ignore}, the opt-in label off for a while) and is the real one. Absent (written by a
     * webhook before it existed): the applied ratio is trusted as it stands.
     */
    public static final String SCALED_ANNOTATION = "qshard.io/oversale-scaled";
    /** Largest ratio anything may ever set: 3. */
    public static final double ABSOLUTE_MAX = 3.0;

    private OversaleRatio() {}

    /** A parsed annotation: the ratio, or why it is refused. */
    public record Parsed(double ratio, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /**
     * @param text the annotation's value, or null when absent; any text
     * @param max  the largest ratio allowed, in [1, {@link #ABSOLUTE_MAX}]
     * @return the ratio, or the reason it is refused; empty when the annotation is absent (no oversale)
     * @throws IllegalArgumentException naming {@code max} when it is out of [1, {@link #ABSOLUTE_MAX}] (a NaN maximum
     *                                  would let every ratio ≥ 1 through)
     */
    public static Optional<Parsed> parse(String text, double max) {
        checkMax("max", max);
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

    /**
     * The ratios an {@link #APPLIED_ANNOTATION} records.
     *
     * @param text the annotation, or null
     * @return {cpu, memory}; 1 for a resource it does not name or names with a value outside [1, {@link #ABSOLUTE_MAX}]
     */
    public static double[] applied(String text) {
        double[] r = {1.0, 1.0};
        if (text == null) {
            return r;
        }
        forEachEntry(text, (key, value) -> {
            try {
                double v = Double.parseDouble(value);
                if (v >= 1 && v <= ABSOLUTE_MAX) {
                    switch (key) {
                        case "cpu" -> r[0] = v;
                        case "memory" -> r[1] = v;
                        default -> {}
                    }
                }
            } catch (NumberFormatException e) {
                // a resource with a bad value counts as not scaled
            }
        });
        return r;
    }

    /**
     * The allocatable a {@link #SCALED_ANNOTATION} records.
     *
     * @param text the annotation, or null
     * @return {cpu milli-cores, memory bytes}; -1 for a resource it does not name or names with anything but a
     *         non-negative integer (cpu with its {@code m} suffix)
     */
    public static long[] scaled(String text) {
        long[] r = {-1, -1};
        if (text == null) {
            return r;
        }
        forEachEntry(text, (key, v) -> {
            boolean cpu = "cpu".equals(key);
            if ((cpu && !v.endsWith("m")) || (!cpu && !"memory".equals(key))) {
                return;
            }
            try {
                long n = Long.parseLong(cpu ? v.substring(0, v.length() - 1) : v);
                if (n >= 0) {
                    r[cpu ? 0 : 1] = n;
                }
            } catch (NumberFormatException e) {
                // a resource with a bad value counts as not recorded
            }
        });
        return r;
    }

    /**
     * @param cpuMilli    the cpu allocatable left, in milli-cores; &lt; 0: not recorded
     * @param memoryBytes the memory allocatable left, in bytes; &lt; 0: not recorded
     * @return the {@link #SCALED_ANNOTATION} text; {@link #scaled} reads it back exactly (empty: neither recorded)
     */
    public static String scaledText(long cpuMilli, long memoryBytes) {
        String cpu = cpuMilli < 0 ? "" : "cpu=" + cpuMilli + "m";
        String memory = memoryBytes < 0 ? "" : "memory=" + memoryBytes;
        return cpu.isEmpty() || memory.isEmpty() ? cpu + memory : cpu + "," + memory;
    }

    /**
     * The ratio a stored allocatable carries.
     *
     * @param stored   the stored allocatable (milli-cores or bytes)
     * @param applied  the ratio {@link #applied} reads for the resource
     * @param recorded the value {@link #scaled} reads for it, -1 when none is recorded
     * @return {@code applied} when nothing is recorded or the stored value is the recorded one; 1 otherwise (a write
     *         the webhook did not review stored the real value)
     */
    public static double appliedTo(long stored, double applied, long recorded) {
        return recorded < 0 || recorded == stored ? applied : 1.0;
    }

    /**
     * The real allocatable behind a stored one. Pure; thread-safe.
     *
     * @param stored   the stored allocatable (milli-cores or bytes)
     * @param applied  the ratio {@link #applied} reads for the resource, in [1, {@link #ABSOLUTE_MAX}]
     * @param recorded the value {@link #scaled} reads for it, -1 when none is recorded
     * @return {@code stored ÷} {@link #appliedTo} to the nearest unit (half up): exactly the real value the webhook
     *         scaled, since the recorded ratio is scaled ÷ real to double precision; {@code stored} itself when ≤ 0
     */
    public static long real(long stored, double applied, long recorded) {
        double ratio = appliedTo(stored, applied, recorded);
        if (stored <= 0 || ratio == 1.0) {
            return stored;
        }
        return BigDecimal.valueOf(stored)
                .divide(BigDecimal.valueOf(ratio), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /**
     * @param cpu    the cpu ratio applied, in [1, {@link #ABSOLUTE_MAX}]
     * @param memory the memory ratio applied, in [1, {@link #ABSOLUTE_MAX}]
     * @return the {@link #APPLIED_ANNOTATION} text for these ratios; {@link #applied} reads it back exactly
     * @throws IllegalArgumentException naming the resource whose ratio is out of range (what {@link #applied} would
     *                                  read as 1) or not a number
     */
    public static String appliedText(double cpu, double memory) {
        return "cpu=" + plain(checkApplied("cpu", cpu)) + ",memory=" + plain(checkApplied("memory", memory));
    }

    private static double checkApplied(String resource, double ratio) {
        if (!(ratio >= 1 && ratio <= ABSOLUTE_MAX)) {
            throw new IllegalArgumentException(
                    resource + " ratio must be in [1, " + ABSOLUTE_MAX + "] to be recorded as applied, was " + ratio);
        }
        return ratio;
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** @throws IllegalArgumentException naming the setting when a maximum is out of [1, {@link #ABSOLUTE_MAX}] */
    public static double checkMax(String name, double max) {
        if (!(max >= 1 && max <= ABSOLUTE_MAX)) {
            throw new IllegalArgumentException(name + " must be in [1, " + ABSOLUTE_MAX + "], was " + max);
        }
        return max;
    }

    /** Calls {@code entry} with each trimmed {@code key=value} of a comma-separated annotation; parts without a key skipped. */
    private static void forEachEntry(String text, BiConsumer<String, String> entry) {
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                entry.accept(
                        part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
    }
}
