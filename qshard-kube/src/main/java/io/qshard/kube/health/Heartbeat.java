package io.qshard.kube.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The pulse of one long-running loop: the loop calls {@link #beat} every iteration (and while it waits on something
 * that may legitimately take long), {@code /healthz} reads {@link #age}, and a loop that cannot go on — an exception
 * that escaped its per-item guards, or an {@link Error} — is marked {@link #fatal} at once, before its thread ends.
 * Time comes from the injected {@link Clock}; a new heartbeat counts as just beaten. Thread-safe: one writer (the
 * loop) and any number of readers; {@link #beat} is a clock read and a volatile write.
 */
public final class Heartbeat {
    /** What {@link #maxAgeForPeriodic} allows for the API calls one step of a loop may make between beats. */
    public static final Duration API_CALLS_ALLOWANCE = Duration.ofSeconds(90);

    private final Clock clock;
    private final List<Consumer<Throwable>> fatalListeners = new CopyOnWriteArrayList<>();
    private volatile long lastBeatMillis;
    private volatile Throwable fatal;

    public Heartbeat(Clock clock) {
        this.clock = clock;
        this.lastBeatMillis = clock.millis();
    }

    /**
     * The largest healthy age of a loop that runs every {@code period} and makes API calls between beats: the period
     * plus {@link #API_CALLS_ALLOWANCE} (three of the client's 30 s request timeouts).
     */
    public static Duration maxAgeForPeriodic(Duration period) {
        return period.plus(API_CALLS_ALLOWANCE);
    }

    /** The loop is alive and going round. */
    public void beat() {
        lastBeatMillis = clock.millis();
    }

    /** Time since the last {@link #beat} (zero if the clock went back). */
    public Duration age() {
        return Duration.ofMillis(Math.max(0, clock.millis() - lastBeatMillis));
    }

    /**
     * The loop cannot go on: {@code cause} ended it. The first cause is kept; every {@link #whenFatal} listener is
     * called with it, on the calling thread, once.
     */
    public void fatal(Throwable cause) {
        synchronized (this) {
            if (fatal != null) {
                return;
            }
            fatal = cause;
        }
        for (Consumer<Throwable> l : fatalListeners) {
            l.accept(cause);
        }
    }

    /** Whether {@link #fatal} was called. */
    public boolean isFatal() {
        return fatal != null;
    }

    /** What ended the loop, if it was marked fatal. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(fatal);
    }

    /** Calls {@code listener} when the loop goes fatal (at once, on this thread, if it already has). */
    public void whenFatal(Consumer<Throwable> listener) {
        Throwable already;
        synchronized (this) {
            already = fatal;
            if (already == null) {
                fatalListeners.add(listener);
            }
        }
        if (already != null) {
            listener.accept(already);
        }
    }
}
