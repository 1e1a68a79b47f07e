package io.qshard.core.volume;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable map split into {@value #CHUNKS} hash maps by key hash, so that a copy with one entry changed costs
 * O(n/64 + 64) instead of O(n): a {@link Builder} copies a chunk the first time it writes it after a publish, and the
 * chunk array once — a burst of updates between two publishes copies each chunk at most once. Thread-safe because
 * immutable: a published chunk is never written again.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class ChunkedMap<K, V> {
    static final int CHUNKS = 64;

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final ChunkedMap<?, ?> EMPTY = new ChunkedMap(new HashMap[CHUNKS], 0);

    private final HashMap<K, V>[] chunks;
    private final int size;

    private ChunkedMap(HashMap<K, V>[] chunks, int size) {
        this.chunks = chunks;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K, V> ChunkedMap<K, V> empty() {
        return (ChunkedMap<K, V>) EMPTY;
    }

    private static int chunk(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (CHUNKS - 1);
    }

    /** The value of {@code key}, or null. */
    V get(K key) {
        HashMap<K, V> c = chunks[chunk(key)];
        return c == null ? null : c.get(key);
    }

    int size() {
        return size;
    }

    /** Every entry, chunk by chunk (no particular order). */
    void forEach(BiConsumer<? super K, ? super V> action) {
        for (HashMap<K, V> c : chunks) {
            if (c != null) {
                c.forEach(action);
            }
        }
    }

    /** A writable copy that shares every chunk until it writes it. */
    Builder<K, V> toBuilder() {
        return new Builder<>(this);
    }

    /**
     * The mutable side: writes copy a chunk once per publish. Not thread-safe (one owner thread).
     *
     * @param <K> key type
     * @param <V> value type
     */
    static final class Builder<K, V> {
        private HashMap<K, V>[] chunks;
        private boolean[] owned = new boolean[CHUNKS];
        private boolean arrayOwned;
        private int size;
        private ChunkedMap<K, V> published;

        private Builder(ChunkedMap<K, V> from) {
            this.chunks = from.chunks;
            this.size = from.size;
            this.published = from;
        }

        Builder() {
            this(empty());
        }

        V get(K key) {
            HashMap<K, V> c = chunks[chunk(key)];
            return c == null ? null : c.get(key);
        }

        /** Sets {@code key} to {@code value}; returns the previous value, or null. */
        V put(K key, V value) {
            HashMap<K, V> c = writable(chunk(key));
            V old = c.put(key, value);
            if (old == null) {
                size++;
            }
            published = null;
            return old;
        }

        /** Removes {@code key}; returns the previous value, or null (then nothing is copied). */
        V remove(K key) {
            int i = chunk(key);
            if (chunks[i] == null || !chunks[i].containsKey(key)) {
                return null;
            }
            V old = writable(i).remove(key);
            size--;
            published = null;
            return old;
        }

        int size() {
            return size;
        }

        /** Every entry (do not write through the builder meanwhile). */
        void forEach(BiConsumer<? super K, ? super V> action) {
            for (HashMap<K, V> c : chunks) {
                if (c != null) {
                    c.forEach(action);
                }
            }
        }

        /** The current contents as an immutable map: O(1) when nothing changed since the last publish. */
        ChunkedMap<K, V> publish() {
            if (published == null) {
                published = new ChunkedMap<>(chunks, size);
                arrayOwned = false;
                owned = new boolean[CHUNKS];
            }
            return published;
        }

        @SuppressWarnings("unchecked")
        private HashMap<K, V> writable(int i) {
            if (!arrayOwned) {
                chunks = chunks.clone();
                arrayOwned = true;
            }
            if (!owned[i]) {
                HashMap<K, V> c = chunks[i];
                chunks[i] = c == null ? new HashMap<>() : new HashMap<>((Map<K, V>) c);
                owned[i] = true;
            }
            return chunks[i];
        }
    }
}
