package io.qshard.predict.models;

import java.nio.ByteBuffer;

/**
 * A ring of the maxima of fixed-width time bins (e.g. 256 bins of 15 minutes = 64 hours), stored as hundredths in
 * {@code char}s: 2 bytes per bin, values 0 to 655.34, bins without samples marked missing.
 *
 * <p>Bin {@code b} covers {@code [b × width, (b + 1) × width)} seconds. Not thread-safe.
 */
public final class BinnedMaxHistory {
    private static final char MISSING = Character.MAX_VALUE;
    private static final double SCALE = 100.0;
    private static final double MAX_STORABLE = (MISSING - 1) / SCALE;

    private final long width;
    private final char[] ring;
    private long newestBin = Long.MIN_VALUE;

    /**
     * @param binSeconds width of one bin, &gt; 0
     * @param bins       number of bins kept, &gt; 1
     */
    public BinnedMaxHistory(long binSeconds, int bins) {
        if (binSeconds <= 0 || bins < 2) {
            throw new IllegalArgumentException("bin width must be > 0 and bins > 1");
        }
        this.width = binSeconds;
        this.ring = new char[bins];
        java.util.Arrays.fill(ring, MISSING);
    }

    /** @return the bin width in seconds */
    public long binSeconds() {
        return width;
    }

    /** @return the number of bins kept */
    public int capacity() {
        return ring.length;
    }

    /** @return the index of the bin holding {@code timeSeconds} */
    public long binOf(long timeSeconds) {
        return Math.floorDiv(timeSeconds, width);
    }

    /** @return the newest bin that has been written, or {@link Long#MIN_VALUE} when empty */
    public long newestBin() {
        return newestBin;
    }

    /** Records a sample; bins skipped since the previous sample become missing. Time must not go backwards. */
    public void add(long timeSeconds, double value) {
        long bin = binOf(timeSeconds);
        char encoded = (char) Math.round(Math.min(MAX_STORABLE, Math.max(0, value)) * SCALE);
        if (newestBin == Long.MIN_VALUE || bin > newestBin) {
            long from = newestBin == Long.MIN_VALUE ? bin : Math.max(newestBin + 1, bin - ring.length + 1);
            for (long b = from; b < bin; b++) {
                ring[slot(b)] = MISSING;
            }
            ring[slot(bin)] = encoded;
            newestBin = bin;
        } else if (bin > newestBin - ring.length) {
            int s = slot(bin);
            if (ring[s] == MISSING || encoded > ring[s]) {
                ring[s] = encoded;
            }
        }
    }

    /** @return the maximum recorded in {@code bin}, or NaN when the bin is missing or outside the ring */
    public double get(long bin) {
        if (newestBin == Long.MIN_VALUE || bin > newestBin || bin <= newestBin - ring.length) {
            return Double.NaN;
        }
        char c = ring[slot(bin)];
        return c == MISSING ? Double.NaN : c / SCALE;
    }

    /**
     * @return the maximum over bins {@code [from, to]}, skipping missing ones; NaN when all are missing. Only the bins
     *         the ring holds are visited, however wide the range (a horizon of years is a few hundred steps, not
     *         billions)
     */
    public double max(long from, long to) {
        if (newestBin == Long.MIN_VALUE) {
            return Double.NaN;
        }
        long lo = Math.max(from, newestBin - ring.length + 1);
        long hi = Math.min(to, newestBin);
        double m = Double.NaN;
        for (long k = 0; lo <= hi && k <= hi - lo; k++) { // counted: "b <= hi; b++" never ends at Long.MAX_VALUE
            double v = get(lo + k);
            if (!Double.isNaN(v) && !(v <= m)) {
                m = v;
            }
        }
        return m;
    }

    private int slot(long bin) {
        return (int) Math.floorMod(bin, (long) ring.length);
    }

    /** Writes the ring. */
    public void save(ByteBuffer out) {
        out.putLong(newestBin);
        for (char c : ring) {
            out.putChar(c);
        }
    }

    /** Reads what {@link #save} wrote into a history of the same size. */
    public void restore(ByteBuffer in) {
        newestBin = in.getLong();
        for (int i = 0; i < ring.length; i++) {
            ring[i] = in.getChar();
        }
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 8 + 2 * ring.length;
    }
}
