package io.qshard.core.model;

/**
 * {@code long} arithmetic that clamps instead of wrapping around: a sum or difference beyond the range of a {@code
 * long} is {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}). Used wherever amounts from the API meet — requests,
 * allocatable, usage, pools, scores — so an absurd figure (the apiserver serves {@code 10Ei} as 2<sup>63</sup>−1, the
 * decoder saturates {@code cpu: 1e18} there too) makes a node look full or a pod look huge, never the opposite.
 * Branch-cheap: one add, two xors and a rarely taken branch. Stateless and thread-safe.
 */
public final class Saturating {
    private Saturating() {}

    /** @return {@code a + b}, clamped to [{@link Long#MIN_VALUE}, {@link Long#MAX_VALUE}] */
    public static long add(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) { // both operands have the sign the sum lost
            return (a >> 63) ^ Long.MAX_VALUE; // a < 0: MIN_VALUE, else MAX_VALUE
        }
        return sum;
    }

    /** @return {@code a − b}, clamped to [{@link Long#MIN_VALUE}, {@link Long#MAX_VALUE}] */
    public static long subtract(long a, long b) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0) { // operands of different signs, and the result lost a's sign
            return (a >> 63) ^ Long.MAX_VALUE;
        }
        return difference;
    }

    /** @return whether {@code v} is one of the two values a saturated result takes */
    public static boolean atLimit(long v) {
        return v == Long.MAX_VALUE || v == Long.MIN_VALUE;
    }
}
