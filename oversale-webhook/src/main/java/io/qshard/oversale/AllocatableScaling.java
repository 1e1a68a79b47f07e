package io.qshard.oversale;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the webhook changes one resource of a node's {@code status.allocatable} (cpu in milli-cores, memory in bytes).
 * Pure; thread-safe.
 *
 * <p>Scaled allocatable = {@code sent × ratio}, capped at {@code capacity × max} — the webhook never writes more.
 * Only a value the writer <em>sent</em> is scaled: when an update leaves allocatable as the stored object has it
 * (anyone patching other status fields — conditions, the node agent's batch resources), the stored value is
 * already scaled and scaling it again would compound; the webhook leaves it alone. The kubelet writes its real
 * allocatable on every status update where it differs from the stored one, which a scaled node always does.
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
        long value = BigDecimal.valueOf(sent)
                .multiply(BigDecimal.valueOf(ratio))
                .setScale(0, RoundingMode.FLOOR)
                .longValueExact();
        if (capacity >= 0) {
            long cap = BigDecimal.valueOf(capacity)
                    .multiply(BigDecimal.valueOf(max))
                    .setScale(0, RoundingMode.FLOOR)
                    .longValueExact();
            value = Math.min(value, cap);
        }
        return value == sent ? -1 : value;
    }
}
