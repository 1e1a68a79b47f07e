package io.qshard.kube.process;

import io.qshard.kube.health.HealthChecks;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Long-running commands handle these themselves: a JVM stopped through shutdown hooks
 * exits with 143, and an operator (and Kubernetes) should see 0 for a clean stop.
 */
public final class StopSignals {
    private StopSignals() {}

    /** Blocks until SIGTERM or SIGINT arrives. */
    public static void await() throws InterruptedException {
        await(null);
    }

    /**
     * Blocks until SIGTERM or SIGINT arrives or, when {@code fatal} is given, one of its loops goes fatal.
     *
     * @return empty for a signal, else why a loop died (one line per loop)
     */
    public static Optional<String> await(HealthChecks fatal) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> why = new AtomicReference<>();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> stop.countDown());
        }
        if (fatal != null) {
            fatal.whenFatal(reason -> {
                why.compareAndSet(null, reason);
                stop.countDown();
            });
        }
        stop.await();
        return Optional.ofNullable(why.get());
    }
}
