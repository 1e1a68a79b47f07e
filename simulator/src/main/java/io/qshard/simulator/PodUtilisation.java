package io.qshard.simulator;

/**
 * The per-pod usage model of the simulator: each pod uses {@code request × u}, where {@code u} is drawn once per pod
 * from uniform({@code low}, {@code high}) — deterministically from its uid and a seed, so a restarted simulator gives
 * every pod the same utilisation. Immutable and thread-safe.
 *
 * @param low  lowest utilisation, in [0, high]
 * @param high highest utilisation, in [low, 2]
 * @param seed varies the draw between runs
 */
public record PodUtilisation(double low, double high, long seed) {
    /** Default: pods use 20–60 % of what they request (clusters at ~80 % allocation and &lt; 25 % usage). */
    public static final PodUtilisation DEFAULT = new PodUtilisation(0.2, 0.6, 1);

    /** @throws IllegalArgumentException naming the bound that is out of range */
    public PodUtilisation {
        if (!(low >= 0 && low <= high)) {
            throw new IllegalArgumentException("utilisation low must be in [0, high], was " + low);
        }
        if (!(high <= 2)) {
            throw new IllegalArgumentException("utilisation high must be <= 2, was " + high);
        }
    }

    /**
     * Parses {@code LOW,HIGH} (fractions, e.g. {@code 0.2,0.6}).
     *
     * @throws IllegalArgumentException with the expected form
     */
    public static PodUtilisation parse(String text, long seed) {
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                return new PodUtilisation(
                        Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()), seed);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("utilisation must be LOW,HIGH fractions like 0.2,0.6, was '" + text + "'");
    }

    /** @return the utilisation of the pod with this uid, in [low, high] */
    public double of(String uid) {
        long h = seed * 0x9E3779B97F4A7C15L ^ uid.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        double unit = (h >>> 11) * 0x1.0p-53;
        return low + (high - low) * unit;
    }
}
