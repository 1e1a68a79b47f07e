package io.qshard.localcluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs containerd's CLI against one node's containerd socket. Stateless and thread-safe. */
final class Ctr {
    private Ctr() {}

    /** Whether {@code ctr -a <socket> <args>} exits 0 within 5 s. */
    static boolean succeeds(KubeletTools tools, NodeLayout n, List<String> args) {
        try {
            run(tools, n, args, 5);
            return true;
        } catch (ControlPlaneException e) {
            return false;
        }
    }

    /**
     * Runs {@code ctr -a <socket> <args>}.
     *
     * @throws ControlPlaneException with ctr's output when it fails or takes longer than {@code timeoutSeconds}
     */
    static void run(KubeletTools tools, NodeLayout n, List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>(List.of(
                tools.ctr().toString(),
                "--connect-timeout",
                "5s",
                "-a",
                n.socket().toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ControlPlaneException("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            String out = new String(p.getInputStream().readAllBytes());
            if (p.exitValue() != 0) {
                throw new ControlPlaneException(String.join(" ", cmd) + " failed: " + out.trim());
            }
        } catch (IOException e) {
            throw new ControlPlaneException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted: " + cmd, e);
        }
    }
}
