package io.qshard.kube.convert;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Converts Kubernetes quantities to {@code long}s: cpu to milli-cores (rounded up, as the kubelet does),
 * everything else to base units (bytes, counts). Plain decimals with SI or binary suffixes are parsed
 * directly (the common case, no BigDecimal); anything else falls back to fabric8's parser. Stateless.
 */
public final class Quantities {
    private Quantities() {}

    /** Milli-units: {@code "500m"} → 500, {@code "2"} → 2000, {@code "1.5"} → 1500. */
    public static long milli(Quantity q) {
        return scaled(q, 1000);
    }

    /** Base units: {@code "1Gi"} → 1073741824, {@code "128974848"} → 128974848, {@code "1k"} → 1000. */
    public static long value(Quantity q) {
        return scaled(q, 1);
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
            return Math.multiplyExact(Math.multiplyExact(n, mult), factor);
        }
        if ("m".equals(format) && isSmallInteger(amount)) {
            long n = Long.parseLong(amount);
            return factor == 1000 ? n : ceilDiv(n, 1000);
        }
        BigDecimal exact = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(factor));
        if (exact.signum() < 0) {
            throw new IllegalArgumentException("negative quantity " + q);
        }
        return exact.setScale(0, RoundingMode.CEILING).longValueExact();
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
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "Pi" -> 1L << 50;
            default -> -1;
        };
    }
}
