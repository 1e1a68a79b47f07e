package io.qshard.shard.binder;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Writes bindings asynchronously with bounded concurrency (the runtime's default Bind step; {@link Binder} does it
 * through the API). Thread-safe; {@link #awaitCapacity} has one waiting thread at a time (the decision thread).
 */
public interface PodBinder extends AutoCloseable {
    /**
     * Binds {@code namespace/name} to {@code node} — now, or once a slot frees; {@code onOutcome} receives the result
     * exactly once, on any thread, and must only hand it over. After {@link #close} the outcome is NOT_SENT.
     *
     * @throws InterruptedException if interrupted while waiting for room (nothing sent, no outcome)
     */
    void bind(String namespace, String name, String uid, String node, Consumer<BindOutcome> onOutcome)
            throws InterruptedException;

    /** Waits until {@code n} more bindings can be handed over (returns at once if one can now). */
    default void awaitCapacity(int n) throws InterruptedException {
        while (!awaitCapacity(n, Duration.ofSeconds(1))) {
            // waits on
        }
    }

    /**
     * As {@link #awaitCapacity(int)}, but for at most {@code max} (so the waiting decision thread can show it is
     * alive: its heartbeat).
     *
     * @return true once {@code n} more can be handed over (or one, when it returned at once), false after {@code max}
     */
    boolean awaitCapacity(int n, Duration max) throws InterruptedException;

    /** Fails every binding not yet sent with NOT_SENT (e.g. leadership lost); sent ones finish. @return how many */
    int abandonQueued(String why);

    /** Waits until nothing is in flight or waiting, at most {@code timeout}; true if nothing is left. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Bindings sent and not yet answered. */
    int inFlight();

    /** Bindings handed over and waiting for a slot. */
    int queued();

    /** Takes no more bindings; those waiting for a slot are abandoned (NOT_SENT). */
    @Override
    void close();
}
