package io.qshard.localcluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child process of the control plane (etcd, kube-apiserver, kube-controller-manager), with its output
 * in a log file. Started under {@code setpriv --pdeathsig KILL} from a dedicated, never-ending launcher
 * thread, so the kernel kills it if this JVM dies in a way no shutdown hook sees (SIGKILL, crash).
 * Thread-safe.
 */
final class ManagedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** PR_SET_PDEATHSIG fires when the creating thread exits: create children from a thread that never does. */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qshard-control-plane-launcher");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final Path log;
    private final Process process;

    private ManagedProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code command}, appending stdout and stderr to {@code log}. */
    static ManagedProcess start(String name, List<String> command, Path log) {
        List<String> full = new ArrayList<>();
        if (SETPRIV.toFile().canExecute()) {
            full.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Future<Process> started = LAUNCHER.submit(pb::start);
        try {
            Process p = started.get(30, TimeUnit.SECONDS);
            LOG.debug("started {} pid {}", name, p.pid());
            return new ManagedProcess(name, log, p);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IOException io ? io : e;
            throw new ControlPlaneException("cannot start " + name + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while starting " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ControlPlaneException("timed out starting " + name, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone (or after 5 s more). */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, pid(), grace);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
