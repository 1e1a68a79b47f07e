package io.qshard.kubeletit.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.qshard.kube.api.Crds;
import io.qshard.kube.api.NodeUsage;
import io.qshard.localcluster.KubeletNode;
import io.qshard.localcluster.LocalControlPlane;
import io.qshard.localcluster.fixtures.ProcessOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * qshard in its shipped topology, as OS processes on this machine: the scheduler Deployments of
 * {@code manifests/scheduler/deployments.yaml} (one {@code bin/qshard run} per tier, with exactly the manifest's
 * arguments; only {@code --config} points at the repository's {@code manifests/qshard.yaml}, {@code --metrics-port} is
 * 0, and {@link #BOOKINGS_PROPERTY} may add {@code --node-bookings}) and the agent DaemonSet (one
 * {@code bin/qshard-agent} per kubelet node, reading that kubelet's cgroups), each authenticated as its ServiceAccount
 * with the manifests' RBAC. Every process's output is kept, and written to {@code target/shipped-topology/<name>.log}
 * on {@link #close()}. Not thread-safe: one test thread drives it.
 */
public final class QshardProcesses implements AutoCloseable {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONFIG = REPO.resolve("manifests/qshard.yaml");
    private static final Pattern SERVING = Pattern.compile("/metrics, /healthz and /readyz on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration START = Duration.ofMinutes(3);
    /**
     * {@code -Dqshard.it.bookings=off|on|auto} adds {@code --node-bookings} to the schedulers' arguments (absent: the
     * manifest's, i.e. the default); {@code off} shows what the kubelet makes of the schedulers without node bookings.
     */
    public static final String BOOKINGS_PROPERTY = "qshard.it.bookings";

    /** One started process. {@code port} is its metrics port once known (0 before). */
    private record Launched(String name, Process process, List<String> log, AtomicInteger port) {}

    private final List<Launched> launched = new ArrayList<>();

    private QshardProcesses() {}

    /**
     * Applies what the manifests install before any component (namespace, CRDs, PriorityClasses, the schedulers' and
     * the agent's RBAC), starts the four schedulers and one agent per node, and returns once every scheduler is ready
     * (leading, informers synced) and every node has a fresh NodeUsage report and advertises {@code qshard.io/batch-cpu}.
     *
     * @throws AssertionError naming the component, with its output, when one exits or is not ready within 3 minutes
     */
    public static QshardProcesses start(KubernetesClient admin, LocalControlPlane cp, List<KubeletNode> nodes) {
        applyManifests(admin);
        QshardProcesses qp = new QshardProcesses();
        Instant t0 = Instant.now();
        try {
            for (Deployment d : deployments(admin)) {
                String name = d.getMetadata().getName();
                qp.launch(name, schedulerCommand(d, cp), Map.of("POD_NAME", name + "-it"), 0);
            }
            for (KubeletNode n : nodes) {
                int port = freePort();
                qp.launch("qshard-agent-" + n.name(), agentCommand(n, port, cp), Map.of("NODE_NAME", n.name()), port);
            }
            qp.launched.forEach(qp::awaitReady);
            for (KubeletNode n : nodes) {
                qp.waitFor("NodeUsage of " + n.name() + " and its batch advertisement", () -> reporting(admin, n, t0));
            }
        } catch (RuntimeException | Error e) {
            qp.close();
            throw e;
        }
        return qp;
    }

    /** {@code bin/qshard} with the Deployment's arguments made local ({@link #localArgs}), as the scheduler's SA. */
    private static List<String> schedulerCommand(Deployment d, LocalControlPlane cp) {
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("bin/qshard").toString()));
        cmd.addAll(localArgs(c.getArgs()));
        cmd.add("--kubeconfig=" + cp.kubeconfigAs("qshard-scheduler"));
        String bookings = System.getProperty(BOOKINGS_PROPERTY, "");
        if (!bookings.isEmpty()) {
            cmd.add("--node-bookings=" + bookings);
        }
        return cmd;
    }

    /**
     * {@code bin/qshard-agent} for one kubelet node (its name comes from {@code NODE_NAME}, as the DaemonSet sets it):
     * that kubelet's cgroup parent and driver, pod usage from the kubepods cgroups (not /proc, the whole machine),
     * reports every 2 s, eviction off (a 1-core node's besteffort box is always under one core), as the agent's SA.
     */
    private static List<String> agentCommand(KubeletNode n, int metricsPort, LocalControlPlane cp) {
        return List.of(
                REPO.resolve("bin/qshard-agent").toString(),
                "--cgroup-parent=" + n.cgroupParent(),
                "--cgroup-driver=cgroupfs",
                "--node-usage-from=kubepods",
                "--interval=2s",
                "--sample-interval-ms=500",
                "--evict-below=0",
                "--memory-threshold=1.0",
                "--metrics-port=" + metricsPort,
                "--config=" + CONFIG,
                "--kubeconfig=" + cp.kubeconfigAs("qshard-agent"));
    }

    /** The manifests' objects every component needs first, applied server-side as {@code kubectl apply} would. */
    static void applyManifests(KubernetesClient admin) {
        apply(admin, REPO.resolve("manifests/namespace.yaml"));
        Crds.install(admin, REPO.resolve("manifests/crds/nodeusage.yaml"), Duration.ofSeconds(30));
        Crds.install(admin, REPO.resolve("manifests/crds/shardmap.yaml"), Duration.ofSeconds(30));
        apply(admin, REPO.resolve("manifests/priorityclasses.yaml"));
        apply(admin, REPO.resolve("manifests/scheduler/rbac.yaml"));
        apply(admin, REPO.resolve("manifests/node-agent/rbac.yaml"));
    }

    /**
     * The manifest's scheduler arguments for this machine: {@code --config} at the repository's qshard.yaml (the
     * ConfigMap's source), {@code --metrics-port=0} (named in the log); every other argument as shipped.
     */
    static List<String> localArgs(List<String> manifestArgs) {
        List<String> out = new ArrayList<>();
        for (String a : manifestArgs) {
            if (a.startsWith("--config=")) {
                out.add("--config=" + CONFIG);
            } else if (a.startsWith("--metrics-port=")) {
                out.add("--metrics-port=0");
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** Fails, naming the process and its output, if any process has exited. */
    public void assertAlive() {
        for (Launched l : launched) {
            if (!l.process().isAlive()) {
                throw new AssertionError(
                        l.name() + " exited with " + l.process().exitValue() + "; output:\n" + tail(l, 80));
            }
        }
    }

    /** The last {@code lines} lines of every process's output, for a failure message. */
    public String tails(int lines) {
        StringBuilder sb = new StringBuilder();
        launched.forEach(l -> sb.append("---- ").append(l.name()).append('\n').append(tail(l, lines)));
        return sb.toString();
    }

    /**
     * SIGTERM to every process at once (as Kubernetes stops pods), then waits up to 60 s for each.
     *
     * @return per process its exit code, or -1 when it did not exit in time
     */
    public Map<String, Integer> stop() {
        launched.forEach(l -> l.process().toHandle().destroy());
        Map<String, Integer> exits = new LinkedHashMap<>();
        for (Launched l : launched) {
            try {
                exits.put(
                        l.name(),
                        l.process().waitFor(60, TimeUnit.SECONDS) ? l.process().exitValue() : -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exits.put(l.name(), -1);
            }
        }
        return exits;
    }

    /** Kills what is still running and writes every output to {@code target/shipped-topology/}. Idempotent. */
    @Override
    public void close() {
        launched.forEach(l -> l.process().destroyForcibly());
        Path dir = Path.of("target", "shipped-topology");
        try {
            Files.createDirectories(dir);
            for (Launched l : launched) {
                Files.write(dir.resolve(l.name() + ".log"), List.copyOf(l.log()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the processes' output in " + dir, e);
        }
    }

    private void launch(String name, List<String> command, Map<String, String> env, int port) {
        // under setpriv --pdeathsig KILL (bin/qshard and bin/qshard-agent exec java): a killed test JVM leaves none
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + cmd, e);
        }
        List<String> log = new CopyOnWriteArrayList<>();
        ProcessOutput.drain(p, log);
        launched.add(new Launched(name, p, log, new AtomicInteger(port)));
    }

    /** The metrics port (from the log when it was 0), then {@code /readyz} = 200. */
    private void awaitReady(Launched l) {
        if (l.port().get() == 0) {
            waitFor(l.name() + " names its metrics port", () -> {
                l.log().stream()
                        .map(SERVING::matcher)
                        .filter(Matcher::find)
                        .findFirst()
                        .ifPresent(m -> l.port().set(Integer.parseInt(m.group(1))));
                return l.port().get() > 0;
            });
        }
        waitFor(l.name() + " ready", () -> readyz(l.port().get()) == 200);
    }

    private void waitFor(String what, Callable<Boolean> condition) {
        try {
            await(what).atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertAlive();
                return condition.call();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + START.toSeconds() + " s; output:\n" + tails(40), e);
        }
    }

    private static boolean reporting(KubernetesClient admin, KubeletNode n, Instant since) {
        NodeUsage u = admin.resources(NodeUsage.class).withName(n.name()).get();
        Node node = admin.nodes().withName(n.name()).get();
        return u != null
                && u.getStatus() != null
                && u.getStatus().getTimestamp() != null
                && !Instant.parse(u.getStatus().getTimestamp()).isBefore(since)
                && node.getStatus().getAllocatable().containsKey(AdmissionAudit.BATCH_CPU);
    }

    private static int readyz(int port) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<Deployment> deployments(KubernetesClient admin) {
        return load(admin, REPO.resolve("manifests/scheduler/deployments.yaml")).stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
    }

    private static void apply(KubernetesClient admin, Path manifest) {
        load(admin, manifest)
                .forEach(o -> admin.resource(o)
                        .fieldManager("qshard-it")
                        .forceConflicts()
                        .serverSideApply());
    }

    private static List<HasMetadata> load(KubernetesClient admin, Path manifest) {
        try (InputStream in = Files.newInputStream(manifest)) {
            return admin.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
    }

    private static String tail(Launched l, int lines) {
        List<String> log = List.copyOf(l.log());
        return String.join("\n", log.subList(Math.max(0, log.size() - lines), log.size())) + "\n";
    }

    /** A free loopback port for a process that cannot name the one it took (the agent logs nothing: no SLF4J binding). */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
