package io.qshard.localcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N real kubelet nodes (kubelet 1.20.2 + containerd 1.6) beside a {@link LocalControlPlane}. Each node has its own
 * containerd, CNI bridge and subnet, cgroup root ({@code /qshard-kl-<run>/n<i>}), root directory and ports; each
 * containerd + kubelet pair runs in a private mount namespace (tmpfs on {@code /run}, {@code /var/log},
 * {@code /var/lib}; the sysctls the kubelet writes are masked), so no host path or sysctl changes. Reserved flags
 * split the machine: {@link KubeletOptions#milliCpuPerNode()} / {@link KubeletOptions#memoryBytesPerNode()}
 * allocatable per node.
 *
 * <p>{@link #close()} removes everything by the run's cgroups and records ({@link KubeletTeardown}); so do a JVM
 * shutdown hook and, after a SIGKILLed JVM, the next start ({@link KubeletRun#reapStale()}). Needs root and cgroup
 * v1 ({@link KubeletSupport#unavailable()}). Thread-safe; {@link #close()} is idempotent.
 */
public final class KubeletNodes implements AutoCloseable {
    /** {@code "true"} on every kubelet node (set by {@code --node-labels}). */
    public static final String NODE_LABEL = "qshard.io/kubelet-node";
    /** The run id on every kubelet node of a run. */
    public static final String RUN_LABEL = "qshard.io/kubelet-run";
    /** The one local image: sandbox, idle and busy containers ({@code imagePullPolicy: Never}). */
    public static final String IMAGE = "localhost/qshard-busybox:1.0";
    /** At most this many kubelet nodes per control plane (the apiserver knows a token for each). */
    public static final int MAX_NODES = 8;

    private static final Logger LOG = LoggerFactory.getLogger(KubeletNodes.class);

    private final KubeletRun run;
    private final KubernetesClient admin;
    private final HttpProbe apiserverProbe;
    private final String apiserverUrl;
    private final Thread shutdownHook;
    private final Object lock = new Object();
    private final List<KubeletNode> nodes = new ArrayList<>();
    private boolean closed;

    private KubeletNodes(KubeletRun run, LocalControlPlane cp) {
        this.run = run;
        this.admin = KubeClients.forControlPlane(cp, "qshard-kubelet-nodes");
        this.apiserverProbe = HttpProbe.tls(cp.caPem(), cp.adminToken());
        this.apiserverUrl = cp.apiserverUrl();
        this.shutdownHook = new Thread(() -> close(false), "qshard-kubelet-nodes-shutdown");
    }

    /** The name of the {@code index}-th kubelet node (1-based): {@code qshard-kl-<index>}. */
    public static String nodeName(int index) {
        return KubeletRun.PREFIX + index;
    }

    /**
     * Starts {@code options.count()} nodes in parallel and returns once all are Ready (≈10–20 s). On failure
     * everything started is removed and a {@link ControlPlaneException} names the node and the tail of its log.
     *
     * @throws ControlPlaneException when the machine cannot run a kubelet ({@link KubeletSupport#unavailable()}), a
     *     binary is missing (with the install hint) or a node does not start
     */
    public static KubeletNodes start(LocalControlPlane cp, KubeletOptions options) {
        KubeletSupport.unavailable().ifPresent(reason -> {
            throw new ControlPlaneException("this machine cannot run kubelet nodes: " + reason);
        });
        KubeletTools tools = KubeletTools.locate();
        KubeletCommand.Host host = KubeletCommand.Host.detect();
        KubeletCommand.reservedMilliCpu(host, options);
        KubeletCommand.reservedMemoryBytes(host, options);
        long t0 = System.nanoTime();
        KubeletNodes set = new KubeletNodes(KubeletRun.create(), cp);
        Runtime.getRuntime().addShutdownHook(set.shutdownHook);
        try {
            set.boot(cp, tools, host, options);
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
        LOG.info(
                "{} kubelet node(s) Ready in {} ms: {}",
                options.count(),
                (System.nanoTime() - t0) / 1_000_000,
                set.names());
        return set;
    }

    private void boot(LocalControlPlane cp, KubeletTools tools, KubeletCommand.Host host, KubeletOptions options) {
        run.record(KubeletRun.SYSCTLS, KubeletTeardown.sysctlBaseline().trim());
        List<NodeLayout> layouts = new ArrayList<>();
        List<String> cgroupChildren = new ArrayList<>();
        for (int i = 1; i <= options.count(); i++) {
            NodeLayout n = new NodeLayout(run.dir(), run.id(), i);
            layouts.add(n);
            run.record(KubeletRun.BRIDGES, n.bridge());
            cgroupChildren.add("n" + i);
            cgroupChildren.add("sys-n" + i);
        }
        new HostCgroups(HostCgroups.ROOT, KubeletRun.PREFIX + run.id()).create(cgroupChildren);
        for (NodeLayout n : layouts) { // a node of an earlier run of this name: register afresh, with this run's labels
            admin.nodes().withName(n.nodeName()).withGracePeriod(0).delete();
        }
        writeResolvConf();
        KubeletLauncher launcher = new KubeletLauncher(run, tools, options, host, cp, admin);
        ExecutorService pool = Executors.newFixedThreadPool(options.count(), r -> {
            Thread t = new Thread(r, "qshard-kubelet-start");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<KubeletNode>> started = new ArrayList<>();
            for (NodeLayout n : layouts) {
                started.add(pool.submit(() -> launcher.start(n)));
            }
            for (Future<KubeletNode> f : started) {
                KubeletNode node = f.get();
                synchronized (lock) {
                    nodes.add(node);
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re
                    ? re
                    : new ControlPlaneException("kubelet node start failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("interrupted while starting kubelet nodes", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void writeResolvConf() {
        try {
            java.nio.file.Files.writeString(run.dir().resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The nodes, in index order. */
    public List<KubeletNode> nodes() {
        synchronized (lock) {
            return List.copyOf(nodes);
        }
    }

    /** The {@code index}-th node, 0-based. */
    public KubeletNode node(int index) {
        return nodes().get(index);
    }

    /** The nodes' names, in index order. */
    public List<String> names() {
        return nodes().stream().map(KubeletNode::name).toList();
    }

    /** The run directory ({@code <tmp>/qshard-kl-<run>}): node files and logs under {@code n<i>/}. */
    public Path runDirectory() {
        return run.dir();
    }

    /** The run id (also the value of {@link #RUN_LABEL} and part of every host name the run uses). */
    public String runId() {
        return run.id();
    }

    /**
     * Returns the nodes to their state after start, for the next test class (plan §3.6): deletes every pod bound to
     * them and waits until their pod cgroups are gone, removes oversale labels/annotations, taints, cordons and the
     * batch resources, deletes their NodeUsage objects and the webhook registrations labelled {@code qshard.io/it}.
     * Idempotent.
     */
    public void reset(KubernetesClient client) {
        KubeletReset.reset(client, nodes());
    }

    /**
     * Deletes the pods on the nodes (when the apiserver still answers), then removes every process, cgroup, bridge
     * and file of the run. Idempotent, never throws, never needs the apiserver.
     */
    @Override
    public void close() {
        close(true);
    }

    /** The shutdown hook skips the pod deletion: the control plane's own hook may be stopping the apiserver. */
    private void close(boolean deletePods) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            long t0 = System.nanoTime();
            if (!nodes.isEmpty()
                    && apiserverProbe
                            .get(apiserverUrl + "/readyz")
                            .filter(r -> r.statusCode() == 200)
                            .isPresent()) {
                KubeletReset.deletePods(admin, nodes, java.time.Duration.ofSeconds(10));
            }
            KubeletTeardown.sweep(run.dir());
            admin.close();
            LOG.info("kubelet nodes {} closed in {} ms", run.id(), (System.nanoTime() - t0) / 1_000_000);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running its hooks
        }
    }
}
