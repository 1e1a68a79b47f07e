package io.qshard.core.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch space for one scheduling cycle of one pod: PreFilter/PreScore compute something once, Filter/Score
 * read it for every node. Not thread-safe: one cycle runs on one thread.
 */
public final class CycleState {
    private final Map<Key<?>, Object> values = new HashMap<>(8);

    /**
     * A typed slot; create one {@code static final} key per plugin datum.
     *
     * @param <T>  value type
     * @param name for debugging
     */
    public record Key<T>(String name) {
    }

    public <T> void write(Key<T> key, T value) {
        values.put(key, value);
    }

    /** The value written under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T read(Key<T> key) {
        return (T) values.get(key);
    }
}
