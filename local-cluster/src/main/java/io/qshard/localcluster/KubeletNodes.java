package io.qshard.localcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    /**
     * Host paths a 1.20 kubelet, containerd or CNI would create outside the nodes' private mount namespaces (their
     * defaults); recorded before the nodes start (run dir, {@code host-paths-baseline}) and checked by the tests.
     */
    public static final List<String> HOST_PATHS = NodeRuntimeConfig.HOST_PATHS;
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
    /** Counted down when {@link #boot} returns or throws; {@link #close(boolean)} waits for it before sweeping. */
    private final CountDownLatch booted = new CountDownLatch(1);
    /** Set first by {@link #close(boolean)}: {@link #boot} and the launchers stop at their next step. */
    private volatile boolean closing;

    private boolean closed;

    private KubeletNodes(KubeletRun run, LocalControlPlane cp) {
        this.run = run;
        // no request retries: a launcher polling for Ready sees a stopped apiserver at once (SIGTERM during start)
        this.admin = new KubernetesClientBuilder()
                .withConfig(
                        new ConfigBuilder(Config.fromKubeconfig(cp.kubeconfig().toFile()))
                                .withUserAgent("qshard-kubelet-nodes")
                                .withRequestRetryBackoffLimit(0)
                                .build())
                .build();
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

    /** Registers the shutdown hook and starts the nodes; stops at the next step once {@link #closing} is set. */
    private void boot(LocalControlPlane cp, KubeletTools tools, KubeletCommand.Host host, KubeletOptions options) {
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            bootNodes(cp, tools, host, options);
        } finally {
            booted.countDown();
        }
    }

    private void bootNodes(LocalControlPlane cp, KubeletTools tools, KubeletCommand.Host host, KubeletOptions options) {
        run.record(KubeletRun.SYSCTLS, KubeletTeardown.sysctlBaseline().trim());
        run.record(KubeletRun.HOST_PATHS, NodeRuntimeConfig.hostPathBaseline().trim());
        List<NodeLayout> layouts = new ArrayList<>();
        List<String> cgroupChildren = new ArrayList<>();
        for (int i = 1; i <= options.count(); i++) {
            NodeLayout n = new NodeLayout(run.dir(), run.id(), i);
            layouts.add(n);
            run.record(KubeletRun.BRIDGES, n.bridge());
            cgroupChildren.add("n" + i);
            cgroupChildren.add("sys-n" + i);
        }
        checkOpen();
        new HostCgroups(HostCgroups.ROOT, KubeletRun.PREFIX + run.id()).create(cgroupChildren);
        for (NodeLayout n : layouts) { // a node of an earlier run of this name: register afresh, with this run's labels
            admin.nodes().withName(n.nodeName()).withGracePeriod(0).delete();
        }
        writeResolvConf();
        checkOpen();
        KubeletLauncher launcher = new KubeletLauncher(run, tools, options, host, cp, admin, () -> closing);
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
            awaitTermination(pool);
        }
        checkOpen();
    }

    /** The launchers stop at their next step (interrupted or {@link #closing}); none may touch the host after boot. */
    private static void awaitTermination(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(90, TimeUnit.SECONDS)) {
                LOG.warn("kubelet node launchers still running 90 s after the start ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new ControlPlaneException("kubelet nodes " + run.id() + " were closed during start");
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
     * Why this set cannot be used any more, or empty when it can: it is closed, or a node's kubelet or containerd is no
     * longer running (with the tail of its log).
     */
    public Optional<String> unusable() {
        synchronized (lock) {
            if (closed || closing) {
                return Optional.of("kubelet nodes " + run.id() + " are closed");
            }
            for (KubeletNode n : nodes) {
                if (!ours(n.kubeletPid())) {
                    return Optional.of(dead(n, "kubelet", n.kubeletPid(), n.kubeletLog()));
                }
                if (!ours(n.containerdPid())) {
                    return Optional.of(dead(n, "containerd", n.containerdPid(), n.containerdLog()));
                }
            }
            return Optional.empty();
        }
    }

    private boolean ours(long pid) {
        return KubeletTeardown.alive(pid)
                && KubeletTeardown.cmdline(pid).contains(run.dir().toString());
    }

    private static String dead(KubeletNode n, String daemon, long pid, Path log) {
        return "the " + daemon + " of " + n.name() + " (pid " + pid + ") is no longer running; last lines of " + log
                + ":\n" + KubeletLauncher.tail(log);
    }

    /**
     * Returns the nodes to their state after start, for the next test class (plan §3.6): deletes every pod bound to
     * them and waits until their pod cgroups are gone, removes oversale labels/annotations, taints, cordons and the
     * batch resources, deletes their NodeUsage objects and the webhook registrations labelled {@code qshard.io/it},
     * lifts CPU limits a killed node agent left on the QoS cgroups, and waits until each node is Ready with its own
     * allocatable again. Idempotent.
     *
     * @throws ControlPlaneException when the set is {@link #unusable()}, pod cgroups outlive 30 s or a node's
     *     allocatable is not back within 60 s
     */
    public void reset(KubernetesClient client) {
        unusable().ifPresent(reason -> {
            throw new ControlPlaneException("cannot reset the kubelet nodes: " + reason);
        });
        KubeletReset.reset(client, nodes());
    }

    /**
     * Deletes the pods on the nodes (when the apiserver still answers), then removes every process, cgroup, bridge
     * and file of the run; {@link #nodes()} is empty afterwards. Idempotent, never throws, never needs the apiserver.
     */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Waits (≤ 2 min) for a running {@link #start} to stop at its next step, then sweeps. The shutdown hook skips the
     * pod deletion: the control plane's own hook may be stopping the apiserver.
     */
    private void close(boolean deletePods) {
        closing = true;
        try {
            if (!booted.await(2, TimeUnit.MINUTES)) {
                LOG.warn("kubelet nodes {}: start still running after 2 min; sweeping anyway", run.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            long t0 = System.nanoTime();
            if (deletePods
                    && !nodes.isEmpty()
                    && apiserverProbe
                            .get(apiserverUrl + "/readyz")
                            .filter(r -> r.statusCode() == 200)
                            .isPresent()) {
                KubeletReset.deletePods(admin, nodes, java.time.Duration.ofSeconds(10));
            }
            KubeletTeardown.sweep(run.dir());
            nodes.clear();
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
