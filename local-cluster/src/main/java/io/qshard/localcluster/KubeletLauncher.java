package io.qshard.localcluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one kubelet node of a run (plan §3.5 step 4): renders its files, starts containerd in a fresh mount
 * namespace, imports the image, starts the kubelet in containerd's namespace and waits until the Node is Ready. Used
 * by one thread per node; the run's record files are shared and synchronised by {@link KubeletRun}.
 */
final class KubeletLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletLauncher.class);

    private final KubeletRun run;
    private final KubeletTools tools;
    private final KubeletOptions options;
    private final KubeletCommand.Host host;
    private final LocalControlPlane cp;
    private final KubernetesClient admin;
    private final BooleanSupplier closing;

    /** {@code closing}: the set is being closed; each step checks it first and then throws (nothing more is made). */
    KubeletLauncher(
            KubeletRun run,
            KubeletTools tools,
            KubeletOptions options,
            KubeletCommand.Host host,
            LocalControlPlane cp,
            KubernetesClient admin,
            BooleanSupplier closing) {
        this.run = run;
        this.tools = tools;
        this.options = options;
        this.host = host;
        this.cp = cp;
        this.admin = admin;
        this.closing = closing;
    }

    /** Daemons of one node being started. */
    private static final class Started {
        ManagedProcess containerd;
        ManagedProcess kubelet;
    }

    /** Starts node {@code n}; its daemons' pids are recorded in the run as soon as they exist. */
    KubeletNode start(NodeLayout n) {
        Started s = new Started();
        long t0 = System.nanoTime();
        Path d = n.dir();
        for (String sub : List.of(
                "cni",
                "ipam",
                "sysctl",
                "logs",
                "containerd/root",
                "containerd/state",
                "containerd/opt",
                "kubelet/pki",
                "kubelet/volume-plugins",
                "kubelet/seccomp")) {
            mkdirs(d.resolve(sub));
        }
        write(d.resolve("containerd.toml"), NodeRuntimeConfig.containerdToml(n, tools));
        write(d.resolve("cni/10-qshard.conflist"), NodeRuntimeConfig.cniConflist(n));
        write(d.resolve("ns-init.sh"), NodeRuntimeConfig.nsInitScript(n, tools, HostCgroups.ROOT));
        write(d.resolve("kubelet-config.yaml"), NodeRuntimeConfig.kubeletConfig(java.time.Duration.ofSeconds(10)));
        write(d.resolve("kubelet.kubeconfig"), read(cp.kubeletKubeconfig(n.nodeName())));
        List<String> kubeletCmd = KubeletCommand.build(
                n,
                tools,
                host,
                options,
                FreePorts.pick(),
                FreePorts.pick(),
                run.dir().resolve("resolv.conf"));
        write(d.resolve("kubelet.sh"), NodeRuntimeConfig.kubeletScript(n, HostCgroups.ROOT, kubeletCmd));

        checkOpen(n);
        s.containerd = ManagedProcess.start(
                n.nodeName() + "/containerd",
                List.of(
                        KubeletTools.UNSHARE.toString(),
                        "--mount",
                        "--propagation",
                        "private",
                        "--",
                        "/bin/sh",
                        d.resolve("ns-init.sh").toString()),
                n.logs().resolve("containerd.log"));
        run.record(KubeletRun.CHILDREN, Long.toString(s.containerd.pid()));
        awaitContainerd(n, s.containerd);
        checkOpen(n);
        Ctr.run(
                tools,
                n,
                List.of("-n", "k8s.io", "images", "import", tools.imageTar().toString()),
                60);
        long tImported = System.nanoTime();

        checkOpen(n);
        s.kubelet = ManagedProcess.start(
                n.nodeName() + "/kubelet",
                List.of(
                        KubeletTools.NSENTER.toString(),
                        "--mount=/proc/" + s.containerd.pid() + "/ns/mnt",
                        "--",
                        "/bin/sh",
                        d.resolve("kubelet.sh").toString()),
                n.logs().resolve("kubelet.log"));
        run.record(KubeletRun.CHILDREN, Long.toString(s.kubelet.pid()));
        Node node = awaitReady(n, s);
        long t1 = System.nanoTime();
        LOG.info(
                "kubelet node {} Ready in {} ms (containerd + image {} ms, kubelet {} ms)",
                n.nodeName(),
                (t1 - t0) / 1_000_000,
                (tImported - t0) / 1_000_000,
                (t1 - tImported) / 1_000_000);
        return new KubeletNode(
                n.nodeName(),
                n.podCgroup(),
                milli(node.getStatus().getAllocatable().get("cpu")),
                Quantity.getAmountInBytes(node.getStatus().getAllocatable().get("memory"))
                        .longValue(),
                s.kubelet.log(),
                s.containerd.log(),
                s.kubelet.pid(),
                s.containerd.pid(),
                n.bridge(),
                n.subnet());
    }

    private void awaitContainerd(NodeLayout n, ManagedProcess containerd) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!containerd.isAlive()) {
                throw fail(n, containerd, "containerd exited during startup");
            }
            if (Files.exists(n.socket()) && Ctr.succeeds(tools, n, List.of("version"))) {
                return;
            }
            pause(n, 100);
        }
        throw fail(n, containerd, "containerd did not answer on " + n.socket() + " within 30 s");
    }

    private Node awaitReady(NodeLayout n, Started s) {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            for (ManagedProcess p : List.of(s.containerd, s.kubelet)) {
                if (!p.isAlive()) {
                    throw fail(n, p, p.name() + " exited during startup");
                }
            }
            try {
                Node node = admin.nodes().withName(n.nodeName()).get();
                if (node != null
                        && node.getStatus() != null
                        && node.getStatus().getConditions() != null
                        && node.getStatus().getConditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                    return node;
                }
            } catch (KubernetesClientException e) {
                LOG.debug("reading node {}: {}", n.nodeName(), e.toString());
            }
            pause(n, 200);
        }
        throw fail(n, s.kubelet, "node " + n.nodeName() + " not Ready after " + options.startTimeout());
    }

    private static ControlPlaneException fail(NodeLayout n, ManagedProcess p, String what) {
        return new ControlPlaneException(
                "kubelet node " + n.nodeName() + ": " + what + "; last lines of " + p.log() + ":\n" + tail(p.log()));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static long milli(Quantity q) {
        return Quantity.getAmountInBytes(q).movePointRight(3).longValue();
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String content) {
        try {
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkOpen(NodeLayout n) {
        if (closing.getAsBoolean()) {
            throw new ControlPlaneException("kubelet node " + n.nodeName() + ": the nodes were closed during start");
        }
    }

    private void pause(NodeLayout n, long millis) {
        checkOpen(n);
        try {
            Thread.sleep(millis); // polling external daemons during startup
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while starting a kubelet node", e);
        }
    }
}
