package io.qshard.core.snapshot;

import java.util.Arrays;

/**
 * An immutable array with cheap updates: elements live in chunks of 64, and {@link #set} copies only the
 * chunk index and one chunk (≈ n/64 + 64 references instead of n). Reads are two array loads.
 * Thread-safe because immutable.
 *
 * @param <T> element type
 */
final class PersistentArray<T> {
    private static final int SHIFT = 6;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final PersistentArray<?> EMPTY = new PersistentArray<>(new Object[0][], 0);

    private final Object[][] chunks;
    private final int size;

    private PersistentArray(Object[][] chunks, int size) {
        this.chunks = chunks;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <T> PersistentArray<T> empty() {
        return (PersistentArray<T>) EMPTY;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    T get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return (T) chunks[i >>> SHIFT][i & MASK];
    }

    /** A copy with element {@code i} replaced. */
    PersistentArray<T> set(int i, T value) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        Object[][] c = chunks.clone();
        c[i >>> SHIFT] = chunks[i >>> SHIFT].clone();
        c[i >>> SHIFT][i & MASK] = value;
        return new PersistentArray<>(c, size);
    }

    /** A copy with {@code value} appended. */
    PersistentArray<T> append(T value) {
        int chunk = size >>> SHIFT;
        Object[][] c = chunk < chunks.length ? chunks.clone() : Arrays.copyOf(chunks, chunk + 1);
        c[chunk] = chunk < chunks.length ? chunks[chunk].clone() : new Object[CHUNK];
        c[chunk][size & MASK] = value;
        return new PersistentArray<>(c, size + 1);
    }

    /** A copy without the last element. */
    PersistentArray<T> removeLast() {
        if (size == 0) {
            throw new IndexOutOfBoundsException("empty");
        }
        int last = size - 1;
        if ((last & MASK) == 0) {
            return new PersistentArray<>(Arrays.copyOf(chunks, last >>> SHIFT), last);
        }
        Object[][] c = chunks.clone();
        c[last >>> SHIFT] = chunks[last >>> SHIFT].clone();
        c[last >>> SHIFT][last & MASK] = null;
        return new PersistentArray<>(c, last);
    }
}
