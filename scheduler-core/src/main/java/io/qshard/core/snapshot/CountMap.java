package io.qshard.core.snapshot;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;

/**
 * An immutable map of name → positive count with cheap updates, for a {@link PodGroup}'s pods per node: up to
 * {@link #FLAT} entries it is two small arrays (copied whole); beyond, {@link #BUCKETS} buckets by hash, of which an update
 * copies the bucket array and one bucket — ≈ 64 + n/64 references instead of n (a group of one pod per node of a
 * 5,000-node cluster). Thread-safe because immutable.
 */
final class CountMap extends AbstractMap<String, Integer> {
    static final CountMap EMPTY = new CountMap(new String[0], new int[0], null, 0);
    private static final int FLAT = 16;
    private static final int BUCKETS = 64;

    /** Flat form (buckets == null): parallel arrays. */
    private final String[] keys;

    private final int[] counts;
    /** Bucketed form: each bucket a flat CountMap. */
    private final CountMap[] buckets;

    private final int size;

    private CountMap(String[] keys, int[] counts, CountMap[] buckets, int size) {
        this.keys = keys;
        this.counts = counts;
        this.buckets = buckets;
        this.size = size;
    }

    /** This map with {@code delta} added to {@code key}'s count; a count reaching 0 removes the key. */
    CountMap plus(String key, int delta) {
        if (buckets == null) {
            CountMap flat = flatPlus(key, delta);
            return flat.size <= FLAT ? flat : bucketed(flat);
        }
        int b = bucket(key);
        CountMap old = buckets[b];
        CountMap now = old.flatPlus(key, delta);
        CountMap[] next = buckets.clone();
        next[b] = now;
        return new CountMap(null, null, next, size - old.size + now.size);
    }

    private CountMap flatPlus(String key, int delta) {
        int i = indexOf(key);
        int n = (i < 0 ? 0 : counts[i]) + delta;
        if (n < 0) {
            throw new IllegalStateException("negative count for " + key);
        }
        if (i >= 0 && n > 0) {
            int[] c = counts.clone();
            c[i] = n;
            return new CountMap(keys, c, null, size);
        }
        if (i >= 0) { // remove: the last entry moves into the slot
            String[] k = Arrays.copyOf(keys, size - 1);
            int[] c = Arrays.copyOf(counts, size - 1);
            if (i < size - 1) {
                k[i] = keys[size - 1];
                c[i] = counts[size - 1];
            }
            return new CountMap(k, c, null, size - 1);
        }
        if (n == 0) {
            return this;
        }
        String[] k = Arrays.copyOf(keys, size + 1);
        int[] c = Arrays.copyOf(counts, size + 1);
        k[size] = key;
        c[size] = n;
        return new CountMap(k, c, null, size + 1);
    }

    private static CountMap bucketed(CountMap flat) {
        CountMap[] b = new CountMap[BUCKETS];
        Arrays.fill(b, EMPTY);
        for (int i = 0; i < flat.size; i++) {
            int j = bucket(flat.keys[i]);
            b[j] = b[j].flatPlus(flat.keys[i], flat.counts[i]);
        }
        return new CountMap(null, null, b, flat.size);
    }

    private static int bucket(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }

    private int indexOf(String key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Calls {@code each} with every key and its count, without allocating (unspecified order). */
    void forEachCount(ObjIntConsumer<String> each) {
        if (buckets == null) {
            for (int i = 0; i < size; i++) {
                each.accept(keys[i], counts[i]);
            }
            return;
        }
        for (CountMap b : buckets) {
            for (int i = 0; i < b.size; i++) {
                each.accept(b.keys[i], b.counts[i]);
            }
        }
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Integer> action) {
        forEachCount(action::accept);
    }

    @Override
    public Integer get(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        if (buckets != null) {
            return buckets[bucket(k)].get(k);
        }
        int i = indexOf(k);
        return i < 0 ? null : counts[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Map.Entry<String, Integer>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Integer>> iterator() {
                return new Iterator<>() {
                    private int bucket = buckets == null ? -1 : 0;
                    private CountMap current = buckets == null ? CountMap.this : buckets[0];
                    private int i;

                    @Override
                    public boolean hasNext() {
                        while (i >= current.size && bucket >= 0 && bucket < BUCKETS - 1) {
                            current = buckets[++bucket];
                            i = 0;
                        }
                        return i < current.size;
                    }

                    @Override
                    public Map.Entry<String, Integer> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, Integer> e = Map.entry(current.keys[i], current.counts[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
