package io.qshard.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs a local control plane in the foreground until stdin closes or the process gets SIGINT/SIGTERM.
 * Prints {@code kubeconfig=<path>}, {@code run-dir=<path>} and one {@code pid <component>=<pid>} line per
 * component, then {@code ready}. Flags: {@code --controller-manager}.
 */
public final class LocalClusterMain {
    private LocalClusterMain() {}

    public static void main(String[] args) throws IOException {
        boolean kcm = Arrays.asList(args).contains("--controller-manager");
        LocalControlPlane cp;
        try {
            cp = LocalControlPlane.start(ControlPlaneOptions.defaults().withControllerManager(kcm));
        } catch (ControlPlaneException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("kubeconfig=" + cp.kubeconfig());
        System.out.println("run-dir=" + cp.runDirectory());
        for (Map.Entry<String, Long> e : cp.pids().entrySet()) {
            System.out.println("pid " + e.getKey() + "=" + e.getValue());
        }
        System.out.println("ready");
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // run until stdin closes; Ctrl-C / SIGTERM go through the control plane's shutdown hook
        }
        cp.close();
    }
}
