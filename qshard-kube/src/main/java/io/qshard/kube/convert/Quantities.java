package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Converts Kubernetes quantities to {@code long}s: cpu to milli-cores (rounded up, as the kubelet does),
 * everything else to base units (bytes, counts), rounded up ({@code Quantity.Value()}/{@code MilliValue()}). Plain
 * integers with an SI or binary suffix are parsed directly (the common case, and the apiserver's canonical form: no
 * BigDecimal, and from a string no {@link Quantity} either); anything else falls back to fabric8's parser. Stateless.
 *
 * <p>A valid quantity beyond a {@code long} in the unit asked for ({@code ephemeral-storage: 10Ei}, {@code cpu: 1e18}
 * in milli-cores) saturates at {@link Long#MAX_VALUE}, as do the decoder's sums of them ({@link #plus}): more than any
 * node has, so the pod fits nowhere and is told "Insufficient …" rather than dropped by an exception. kube 1.20: the
 * apiserver caps a binary-suffixed quantity at 2<sup>63</sup>−1 when it parses it ({@code 10Ei} is served as {@code
 * 9223372036854775807}, whose {@code Value()} qshard matches), but {@code Value()}/{@code MilliValue()} do not
 * saturate: that cap in milli-units, or a decimal {@code 20E}, wraps around (newer apimachinery saturates its int64
 * path). Negative quantities, which the API refuses in requests, are errors.
 */
public final class Quantities {
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Quantities() {}

    /** Milli-units: {@code "500m"} → 500, {@code "2"} → 2000, {@code "1.5"} → 1500. */
    public static long milli(Quantity q) {
        return scaled(q, 1000);
    }

    /** Base units: {@code "1Gi"} → 1073741824, {@code "128974848"} → 128974848, {@code "1k"} → 1000. */
    public static long value(Quantity q) {
        return scaled(q, 1);
    }

    /** {@link #milli(Quantity)} of the quantity written {@code s}; null → 0. */
    public static long milli(String s) {
        return s == null ? 0 : scaled(s.toCharArray(), 0, s.length(), 1000);
    }

    /** {@link #value(Quantity)} of the quantity written {@code s}; null → 0. */
    public static long value(String s) {
        return s == null ? 0 : scaled(s.toCharArray(), 0, s.length(), 1);
    }

    /** {@link #milli(String)} of the characters {@code c[off, off + len)} (a parser's buffer: no String made). */
    public static long milli(char[] c, int off, int len) {
        return scaled(c, off, len, 1000);
    }

    /** {@link #value(String)} of the characters {@code c[off, off + len)}. */
    public static long value(char[] c, int off, int len) {
        return scaled(c, off, len, 1);
    }

    private static long scaled(char[] c, int off, int len, long factor) {
        int digits = 0;
        long amount = 0;
        while (digits < len && digits <= 15 && c[off + digits] >= '0' && c[off + digits] <= '9') {
            amount = amount * 10 + (c[off + digits] - '0');
            digits++;
        }
        if (digits > 0 && digits <= 15) {
            long mult = suffixMultiplier(c, off + digits, off + len);
            if (mult > 0) {
                return times(times(amount, mult), factor);
            }
            if (mult < 0) { // "m"
                return factor == 1000 ? amount : ceilDiv(amount, 1000);
            }
        }
        return scaled(new Quantity(new String(c, off, len)), factor);
    }

    /** The multiplier of the suffix {@code c[from, to)}; -1 for milli, 0 for one this fast path does not take. */
    private static long suffixMultiplier(char[] c, int from, int to) {
        if (to == from) {
            return 1;
        }
        char first = c[from];
        if (to - from == 1) {
            return switch (first) {
                case 'm' -> -1;
                case 'k' -> 1_000L;
                case 'M' -> 1_000_000L;
                case 'G' -> 1_000_000_000L;
                case 'T' -> 1_000_000_000_000L;
                case 'P' -> 1_000_000_000_000_000L;
                case 'E' -> 1_000_000_000_000_000_000L;
                default -> 0;
            };
        }
        if (to - from == 2 && c[from + 1] == 'i') {
            return switch (first) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                case 'T' -> 1L << 40;
                case 'P' -> 1L << 50;
                case 'E' -> 1L << 60;
                default -> 0;
            };
        }
        return 0;
    }

    private static long scaled(Quantity q, long factor) {
        if (q == null) {
            return 0;
        }
        String amount = q.getAmount();
        String format = q.getFormat() == null ? "" : q.getFormat();
        long mult = multiplier(format);
        if (mult > 0 && isSmallInteger(amount)) {
            long n = Long.parseLong(amount);
            return times(times(n, mult), factor);
        }
        if ("m".equals(format) && isSmallInteger(amount)) {
            long n = Long.parseLong(amount);
            return factor == 1000 ? n : ceilDiv(n, 1000);
        }
        BigDecimal exact = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor));
        if (exact.signum() < 0) {
            throw new IllegalArgumentException("negative quantity " + q);
        }
        if (exact.compareTo(MAX) >= 0) { // compared before rounding: 1e400 is never expanded to 400 digits
            return Long.MAX_VALUE;
        }
        return exact.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * {@code a + b}, saturated at {@link Long#MAX_VALUE} (and {@link Long#MIN_VALUE}) instead of wrapping around: how
     * the decoder sums amounts of containers, init containers and overhead.
     */
    static long plus(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) { // both operands have the sign the sum lost
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** {@code a * b} for non-negative operands, saturated at {@link Long#MAX_VALUE}. */
    private static long times(long a, long b) {
        long product = a * b;
        return Math.multiplyHigh(a, b) != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static boolean isSmallInteger(String s) {
        if (s == null || s.isEmpty() || s.length() > 15) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long multiplier(String suffix) {
        return switch (suffix) {
            case "" -> 1L;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "P" -> 1_000_000_000_000_000L;
            case "E" -> 1_000_000_000_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "Pi" -> 1L << 50;
            case "Ei" -> 1L << 60; // exact: fabric8's own multiple for Ei is rounded to 16 digits
            default -> -1;
        };
    }
}
