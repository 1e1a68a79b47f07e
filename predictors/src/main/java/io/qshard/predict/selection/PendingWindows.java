package io.qshard.predict.selection;

import java.nio.ByteBuffer;

/**
 * Forecasts waiting for their outcome: a window opened at time {@code s} keeps a record of what was predicted then
 * (a fixed number of floats, laid out by the caller) and the running maximum of the samples in
 * {@code (s, s + horizon]}; when a sample past the end arrives the window matures and is handed back with its
 * outcome. A fixed ring ({@code windowsPerHorizon + 2} slots), so memory is bounded whatever the sampling rate:
 * windows open at most every {@code horizon / windowsPerHorizon} seconds. A window whose span held no sample (a gap)
 * is dropped.
 *
 * <p>Not thread-safe.
 */
public final class PendingWindows {
    /** Receives a matured window. */
    public interface Outcome {
        /**
         * @param start     the window's opening time
         * @param actualMax maximum of the samples inside the window (there was at least one)
         * @param record    what was recorded when the window opened (do not keep a reference)
         */
        void matured(long start, double actualMax, float[] record);
    }

    private final long horizon;
    private final long spacing;
    private final long[] start;
    private final float[] max;
    private final int recordLength;
    private final float[] records;
    private final float[] matured;
    private int head;
    private int size;
    private long lastOpened = Long.MIN_VALUE;

    /**
     * @param horizonSeconds    window length
     * @param windowsPerHorizon windows opened per horizon
     * @param recordLength      floats recorded per window
     */
    public PendingWindows(long horizonSeconds, int windowsPerHorizon, int recordLength) {
        this.horizon = horizonSeconds;
        this.spacing = Math.max(1, horizonSeconds / windowsPerHorizon);
        int slots = windowsPerHorizon + 2;
        this.start = new long[slots];
        this.max = new float[slots];
        this.recordLength = recordLength;
        this.records = new float[slots * recordLength];
        this.matured = new float[recordLength];
    }

    /** Matures the windows that end before {@code time}, then adds the sample to the ones still open. */
    public void sample(long time, double value, Outcome outcome) {
        while (size > 0 && time > end(start[head])) {
            if (!Float.isNaN(max[head])) {
                System.arraycopy(records, head * recordLength, matured, 0, recordLength);
                outcome.matured(start[head], max[head], matured);
            }
            head = (head + 1) % start.length;
            size--;
        }
        for (int i = 0, s = head; i < size; i++, s = (s + 1) % start.length) {
            if (Float.isNaN(max[s]) || value > max[s]) {
                max[s] = (float) value;
            }
        }
    }

    /** The end of a window opened at {@code opened}, saturated: {@code opened + horizon} may pass Long.MAX_VALUE. */
    private long end(long opened) {
        return opened > Long.MAX_VALUE - horizon ? Long.MAX_VALUE : opened + horizon;
    }

    /** @return whether a window may open at {@code time} (spacing elapsed and a slot free) */
    public boolean canOpen(long time) {
        return size < start.length && (lastOpened == Long.MIN_VALUE || time - lastOpened >= spacing);
    }

    /** Opens a window at {@code time}; {@code record} is copied. */
    public void open(long time, float[] record) {
        int s = (head + size) % start.length;
        start[s] = time;
        max[s] = Float.NaN;
        System.arraycopy(record, 0, records, s * recordLength, recordLength);
        size++;
        lastOpened = time;
    }

    /** Writes the ring. */
    public void save(ByteBuffer out) {
        out.putInt(size).putLong(lastOpened);
        for (int i = 0, s = head; i < size; i++, s = (s + 1) % start.length) {
            out.putLong(start[s]).putFloat(max[s]);
            for (int f = 0; f < recordLength; f++) {
                out.putFloat(records[s * recordLength + f]);
            }
        }
    }

    /** Reads what {@link #save} wrote. */
    public void restore(ByteBuffer in) {
        size = in.getInt();
        if (size < 0 || size > start.length) {
            throw new IllegalArgumentException(
                    "checkpoint holds " + size + " pending windows, at most " + start.length + " fit");
        }
        lastOpened = in.getLong();
        head = 0;
        for (int s = 0; s < size; s++) {
            start[s] = in.getLong();
            max[s] = in.getFloat();
            for (int f = 0; f < recordLength; f++) {
                records[s * recordLength + f] = in.getFloat();
            }
        }
    }

    /** @return an upper bound of {@link #save}'s output */
    public int checkpointBytes() {
        return 12 + start.length * (12 + 4 * recordLength);
    }
}
