package io.qshard.kube.convert;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical instances of equal immutable values (image names, their sizes, whole image maps), so thousands of nodes
 * reporting the same images share one copy. Bounded: past {@code capacity} distinct values it starts over (values
 * already handed out stay valid, only sharing with later ones is lost), so names of images long gone do not pile up.
 * Thread-safe.
 *
 * @param <T> an immutable type with value equality
 */
final class Interner<T> {
    private final ConcurrentHashMap<T, T> canonical = new ConcurrentHashMap<>();
    private final int capacity;

    /** @param capacity distinct values kept at most, &gt; 0 */
    Interner(int capacity) {
        this.capacity = capacity;
    }

    /** The canonical instance equal to {@code value} ({@code value} itself the first time); null → null. */
    T intern(T value) {
        if (value == null) {
            return null;
        }
        T prior = canonical.putIfAbsent(value, value);
        if (prior != null) {
            return prior;
        }
        if (canonical.size() > capacity) {
            canonical.clear();
        }
        return value;
    }
}
