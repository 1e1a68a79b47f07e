package io.qshard.predict.models;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Exponentially decaying counts in 16 bits each: an event at time {@code t} adds
 * {@code 256 · 2^((t − ref) / halfLife)} to its counter, and when that step or a counter grows too large every
 * counter is halved and {@code ref} moves one half-life on — the same decay as floating-point weights, in 2 bytes
 * per counter. An event eight half-lives old has faded to nothing; after a silence of more than {@value #FORGET}
 * half-lives (every counter would have been halved to 0) the counts restart at the new event's time, so a gap of any
 * length costs a bounded number of halvings. Not thread-safe.
 */
public final class HalvingCounts {
    private static final double UNIT = 256;
    private static final double MAX_STEP = 8192;
    /** Half-lives of silence after which every count has faded to 0 (16-bit counters: after 16 halvings). */
    private static final double FORGET = 32;

    private final double halfLife;
    private final char[] counts;
    private long reference = Long.MIN_VALUE;
    private int total;
    private int lastStep = (int) UNIT;

    /**
     * @param size            number of counters
     * @param halfLifeSeconds half-life, &gt; 0
     */
    public HalvingCounts(int size, long halfLifeSeconds) {
        if (halfLifeSeconds <= 0) {
            throw new IllegalArgumentException("half-life must be > 0");
        }
        this.halfLife = halfLifeSeconds;
        this.counts = new char[size];
    }

    /** Counts one event at {@code timeSeconds} (non-decreasing across calls) in counter {@code index}. */
    public void add(long timeSeconds, int index) {
        if (reference == Long.MIN_VALUE) {
            reference = timeSeconds;
        }
        double halfLives = ((double) timeSeconds - reference) / halfLife; // in double: no long overflow
        if (halfLives > FORGET) {
            // everything has faded; halving would take as many rounds as half-lives passed (infinitely many for a gap
            // of ~10^12 half-lives, where the step overflows to ∞: PredictorsPropertyTest)
            Arrays.fill(counts, (char) 0);
            total = 0;
            reference = timeSeconds;
            halfLives = 0;
        }
        double step = UNIT * Math.pow(2, halfLives);
        while (step > MAX_STEP) {
            halve();
            step /= 2;
        }
        int increment = Math.max(1, (int) Math.round(step));
        while (counts[index] + increment > Character.MAX_VALUE) {
            halve();
            increment = Math.max(1, increment / 2);
        }
        counts[index] += (char) increment;
        total += increment;
        lastStep = increment;
    }

    private void halve() {
        total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] >>= 1;
            total += counts[i];
        }
        reference += (long) halfLife;
    }

    /** @return the decayed count of counter {@code index} */
    public int get(int index) {
        return counts[index];
    }

    /** @return the sum of all counters */
    public int total() {
        return total;
    }

    /** @return the number of counters */
    public int size() {
        return counts.length;
    }

    /** @return what one event added most recently: the unit in which "n recent events" is measured */
    public int lastStep() {
        return lastStep;
    }

    /** Writes the state. */
    public void save(ByteBuffer out) {
        out.putLong(reference).putInt(total).putInt(lastStep);
        for (char c : counts) {
            out.putChar(c);
        }
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        reference = in.getLong();
        total = in.getInt();
        lastStep = in.getInt();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = in.getChar();
        }
    }

    /** @return the size of {@link #save}'s output */
    public int checkpointBytes() {
        return 16 + 2 * counts.length;
    }
}
