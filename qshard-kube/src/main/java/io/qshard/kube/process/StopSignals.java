package io.qshard.kube.process;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT. Long-running commands handle these themselves: a JVM stopped through shutdown hooks
 * exits with 143, and an operator (and Kubernetes) should see 0 for a clean stop.
 */
public final class StopSignals {
    private StopSignals() {}

    /** Blocks until SIGTERM or SIGINT arrives. */
    public static void await() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> stop.countDown());
        }
        stop.await();
    }
}
