package io.qshard.cli.parity;

import io.qshard.localcluster.KubeBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kube-scheduler 1.20.2 (the binary the bench runs) as a child process against the test's apiserver, launched as
 * {@code bench/…/e2e/BacklogBench} launches it: admin kubeconfig, no leader election, no serving ports, its built-in
 * default profile (schedulerName {@code default-scheduler}) — no KubeSchedulerConfiguration, as none is needed: with
 * fewer than 100 nodes every feasible node is scored, and ImageLocality scores 0 on nodes that report no images.
 * Runs under {@code setpriv --pdeathsig KILL} where available, so a killed test JVM leaves no process behind.
 * Not thread-safe.
 */
public final class KubeSchedulerProcess implements AutoCloseable {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Process process;
    private final Path log;

    private KubeSchedulerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts kube-scheduler; its output goes to {@code log}. */
    public static KubeSchedulerProcess start(Path kubeconfig, Path log) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(List.of(
                KubeBinaries.locate().kubeScheduler().toString(),
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--port=0",
                "--secure-port=0",
                "--v=2"));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
            return new KubeSchedulerProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kube-scheduler", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of its log, for failure messages. */
    public String logTail() {
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
