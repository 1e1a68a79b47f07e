package io.qshard.oversale;

import io.qshard.kube.api.OversaleRatio;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the webhook changes one resource of a node's {@code status.allocatable} (cpu in milli-cores, memory in bytes).
 * Pure; thread-safe.
 *
 * <p>Scaled allocatable = {@code real × ratio}, floored, capped at {@code capacity × max} — the webhook never writes
 * more, and never less than the real value. A value the writer <em>sent</em> (one that differs from the stored
 * object's) is the real one and is scaled from it ({@link #scaled}). A write that leaves allocatable as stored (the
 * kubelet's status patch omits an unchanged allocatable; anyone patching other status fields — conditions, the node
 * agent's batch resources) carries the stored value: scaled by the ratio recorded as applied while it is the value
 * recorded with it, and the real one otherwise (a write the webhook did not review stored it). The real value is
 * recovered from it ({@link #realBehind}) and the wanted one computed again ({@link #target}), so a changed ratio
 * takes effect, an unchanged one never compounds and a missed write is scaled at the next one.
 */
public final class AllocatableScaling {
    private AllocatableScaling() {}

    /**
     * @param sent     allocatable in the incoming object (milli-cores or bytes)
     * @param old      allocatable in the stored object, or -1 on CREATE
     * @param capacity the incoming object's capacity, or -1 when it has none
     * @param ratio    the node's ratio, ≥ 1
     * @param max      the configured maximum ratio
     * @return the value to write, or -1 to leave the resource as it is
     */
    public static long scaled(long sent, long old, long capacity, double ratio, double max) {
        if (sent < 0 || (old >= 0 && sent == old) || ratio == 1.0) {
            return -1;
        }
        long value = target(sent, capacity, ratio, max);
        return value == sent ? -1 : value;
    }

    /**
     * @param real     the real allocatable, ≥ 0 (milli-cores or bytes)
     * @param capacity the object's capacity, or -1 when it has none
     * @param ratio    the wanted ratio, ≥ 1 (1: none)
     * @param max      the configured maximum ratio, ≥ 1
     * @return {@code real × ratio} floored and capped at {@code capacity × max}; {@code real} itself when that is not
     *         above it (ratio 1, or a capacity × max below the real value) or does not fit a long
     */
    public static long target(long real, long capacity, double ratio, double max) {
        BigDecimal value =
                BigDecimal.valueOf(real).multiply(BigDecimal.valueOf(ratio)).setScale(0, RoundingMode.FLOOR);
        if (capacity >= 0) {
            value = value.min(BigDecimal.valueOf(capacity)
                    .multiply(BigDecimal.valueOf(max))
                    .setScale(0, RoundingMode.FLOOR));
        }
        if (value.compareTo(BigDecimal.valueOf(real)) <= 0 || value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return real;
        }
        return value.longValueExact();
    }

    /**
     * The real allocatable behind a stored one.
     *
     * @param stored  the stored allocatable, ≥ 0
     * @param applied the effective ratio the webhook recorded for it (scaled ÷ real, as
     *                {@code qshard.io/oversale-applied} carries it), in [1, 3]
     * @return {@code stored ÷ applied} to the nearest unit — exactly the real value the webhook scaled, since the
     *         recorded ratio is that quotient to double precision
     */
    public static long real(long stored, double applied) {
        return OversaleRatio.real(stored, applied, -1);
    }

    /**
     * The real allocatable behind a stored one that a write left as it was.
     *
     * @param stored   the stored allocatable, ≥ 0
     * @param applied  the ratio {@code qshard.io/oversale-applied} records for it, in [1, 3]
     * @param recorded the value {@code qshard.io/oversale-scaled} records for it, -1 when none is
     * @param capacity the object's capacity, or -1 when it has none
     * @return {@code stored ÷ applied} ({@link #real}) when nothing is recorded or {@code stored} is the recorded
     *         value; {@code stored} itself otherwise (a write the webhook did not review stored the real value); -1
     *         when the result is above capacity — no real allocatable is, so the record does not describe the stored
     *         value (hand-edited or removed) and the real one is unknown until a writer sends it
     */
    public static long realBehind(long stored, double applied, long recorded, long capacity) {
        long real = OversaleRatio.real(stored, applied, recorded);
        return capacity >= 0 && real > capacity ? -1 : real;
    }
}
