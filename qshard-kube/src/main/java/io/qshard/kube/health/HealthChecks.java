package io.qshard.kube.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The loops one process's {@code /healthz} answers for: each a name (e.g. {@code decision/batch}), its
 * {@link Heartbeat} and the largest age at which it still counts as alive. Loops may be added at any time (a scheduler
 * registers its decision loops once its informers have synced). Thread-safe.
 */
public final class HealthChecks {
    /** One loop: unhealthy when its heartbeat is fatal or older than {@code maxAge}. */
    private record Check(String name, Heartbeat heartbeat, Duration maxAge, Runnable testKill) {}

    private final List<Check> checks = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> fatalListeners = new CopyOnWriteArrayList<>();

    /** Adds a loop without a test hook. @return this */
    public HealthChecks add(String name, Heartbeat heartbeat, Duration maxAge) {
        return add(name, heartbeat, maxAge, null);
    }

    /**
     * Adds a loop.
     *
     * @param name      how {@code /healthz} and the logs name it; {@link #kill} matches it or its first segments
     * @param maxAge    the largest healthy heartbeat age (positive)
     * @param testKill  what the test hook runs to kill the loop (it must end the loop as a broken invariant would), or
     *                  null when the loop has none
     * @return this
     * @throws IllegalArgumentException for a non-positive {@code maxAge}
     */
    public HealthChecks add(String name, Heartbeat heartbeat, Duration maxAge, Runnable testKill) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge of health check " + name + " must be positive, was " + maxAge);
        }
        checks.add(new Check(name, heartbeat, maxAge, testKill));
        heartbeat.whenFatal(cause -> {
            String reason = dead(name, cause);
            fatalListeners.forEach(l -> l.accept(reason));
        });
        return this;
    }

    /**
     * Calls {@code listener} with a one-line reason ("decision/batch: the loop died: …") whenever a loop added before or
     * after goes fatal; called on the loop's thread, so it must only hand the reason over.
     */
    public void whenFatal(Consumer<String> listener) {
        fatalListeners.add(listener);
        for (Check c : checks) {
            c.heartbeat().cause().ifPresent(cause -> listener.accept(dead(c.name(), cause)));
        }
    }

    /** Empty when every loop is alive; else one line per dead or stale loop, joined by newlines. */
    public Optional<String> unhealthyReason() {
        List<String> why = new ArrayList<>();
        for (Check c : checks) {
            Optional<Throwable> cause = c.heartbeat().cause();
            Duration age = c.heartbeat().age();
            if (cause.isPresent()) {
                why.add(dead(c.name(), cause.get()));
            } else if (age.compareTo(c.maxAge()) > 0) {
                why.add(c.name() + ": stale, last heartbeat " + age.toMillis() / 1000 + " s ago (at most "
                        + c.maxAge().toSeconds() + " s)");
            }
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", why));
    }

    /**
     * The test hook: kills every loop named {@code loop} or whose name starts with {@code loop + "/"} and that has a
     * test kill. @return how many were told to die
     */
    public int kill(String loop) {
        int n = 0;
        for (Check c : checks) {
            if (c.testKill() != null && (c.name().equals(loop) || c.name().startsWith(loop + "/"))) {
                c.testKill().run();
                n++;
            }
        }
        return n;
    }

    private static String dead(String name, Throwable cause) {
        return name + ": the loop died: " + cause;
    }
}
