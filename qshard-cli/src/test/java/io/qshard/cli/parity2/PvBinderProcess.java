package io.qshard.cli.parity2;

import io.qshard.localcluster.KubeBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kube-controller-manager 1.20.2 running only the PV controller ({@code --controllers=persistentvolume-binder}) as a
 * child process of the test: it completes pre-bound claims and the bindings a scheduler's VolumeBinding PreBind
 * starts (kube-scheduler waits for that before it binds a pod); it resyncs every second, as a claim and the PV it is
 * pre-bound to, created together, otherwise often wait for the default 15 s resync. No other controller runs — no ReplicaSet controller
 * manages test pods and the shared control plane's "no controller-manager" invariant of other classes holds once it is
 * closed. Admin kubeconfig, no leader election, no serving ports; under {@code setpriv --pdeathsig KILL} where
 * available. Not thread-safe.
 */
final class PvBinderProcess implements AutoCloseable {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Process process;
    private final Path log;

    private PvBinderProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts it; its output goes to {@code log}. */
    static PvBinderProcess start(Path kubeconfig, Path log) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(List.of(
                KubeBinaries.locate().kubeControllerManager().toString(),
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--controllers=persistentvolume-binder",
                "--pvclaimbinder-sync-period=1s",
                "--port=0",
                "--secure-port=0",
                "--v=2"));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            return new PvBinderProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kube-controller-manager", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of its log, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
