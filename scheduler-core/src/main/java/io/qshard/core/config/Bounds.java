package io.qshard.core.config;

import java.time.Duration;

/** Range checks of single values, each throwing a {@link ConfigException} that names the field. Stateless. */
final class Bounds {
    private Bounds() {}

    /** {@code v} if it is a fraction in (0, 1], or in [0, 1) when {@code zeroAllowed}. */
    static double fraction(YamlMap m, String key, double v, boolean zeroAllowed) {
        if (zeroAllowed ? !(v >= 0 && v < 1) : !(v > 0 && v <= 1)) {
            throw m.error(
                    m.field(key),
                    v + " is out of range " + (zeroAllowed ? "[0, 1)" : "(0, 1]")
                            + (v > 1 ? " (a fraction, not a percentage)" : ""));
        }
        return v;
    }

    /** {@code v} if it is in {@code lo..hi}. */
    static long range(YamlMap m, String key, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw m.error(m.field(key), v + " is out of range " + lo + ".." + hi);
        }
        return v;
    }

    /** {@code d} if it is longer than zero. */
    static Duration positive(YamlMap m, String key, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw m.error(m.field(key), "must be > 0");
        }
        return d;
    }
}
