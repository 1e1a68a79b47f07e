package io.qshard.kube.health;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a component does with {@code --exit-on-fatal} (the default) when one of its loops dies: log why, stop as
 * gracefully as it can within a bound, and exit with {@link #EXIT_CODE} so its Deployment or DaemonSet restarts it —
 * kube-scheduler's answer to a panic in its loop. A stop that does not end within the bound, or an exit held up by a
 * shutdown hook, is cut short by halting the JVM with the same code.
 */
public final class FatalExit {
    /** Exit status after a fatal loop failure ({@code EX_SOFTWARE} of sysexits.h). */
    public static final int EXIT_CODE = 70;

    private static final Logger LOG = LoggerFactory.getLogger(FatalExit.class);

    private FatalExit() {}

    /**
     * Logs {@code reason}, arms a watchdog that halts the JVM {@code bound} from now, runs {@code gracefulStop} (an
     * exception from it is logged) and returns {@link #EXIT_CODE} for the caller to exit with. Call it from the
     * component's main thread.
     */
    public static int stop(String component, String reason, Duration bound, Runnable gracefulStop) {
        LOG.error(
                "{}: a loop died and cannot go on; stopping (at most {} s) and exiting {} so it is restarted:\n{}",
                component,
                bound.toSeconds(),
                EXIT_CODE,
                reason);
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(bound.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    LOG.error(
                            "{}: not stopped after {} s; halting with exit {}",
                            component,
                            bound.toSeconds(),
                            EXIT_CODE);
                    Runtime.getRuntime().halt(EXIT_CODE);
                },
                "qshard-fatal-exit");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            gracefulStop.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: the stop after a fatal failure failed too", component, e);
        }
        return EXIT_CODE;
    }
}
