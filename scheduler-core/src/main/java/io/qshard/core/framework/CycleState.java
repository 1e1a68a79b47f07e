package io.qshard.core.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch space for one scheduling cycle of one pod: PreFilter/PreScore compute something once, Filter/Score
 * read it for every node, and the later steps (Reserve … PostBind) may read it too. Values are treated as immutable.
 * When a decision reuses an equivalent pod's window ({@code DecisionReuse}), PreFilter and PreScore did not run for
 * this pod: their values are the window's leader's, so they must depend only on the pod's scheduling fields (what a
 * node-local plugin may read: not uid, name or creation time).
 * Not thread-safe: one cycle runs on one thread at a time (the binding cycle hands it over to the binder's thread).
 */
public final class CycleState {
    private final Map<Key<?>, Object> values = new HashMap<>(8);

    /**
     * A typed slot; create one {@code static final} key per plugin datum.
     *
     * @param <T>  value type
     * @param name for debugging
     */
    public record Key<T>(String name) {}

    public <T> void write(Key<T> key, T value) {
        values.put(key, value);
    }

    /** A copy of this state (a plugin's values are shared, not cloned: plugins treat them as immutable). */
    public CycleState copy() {
        CycleState c = new CycleState();
        c.values.putAll(values);
        return c;
    }

    /** Writes every value of {@code other} into this state. */
    public void putAll(CycleState other) {
        values.putAll(other.values);
    }

    /** The value written under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T read(Key<T> key) {
        return (T) values.get(key);
    }
}
