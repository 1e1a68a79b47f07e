package io.qshard.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on loopback: etcd 3.4 and kube-apiserver 1.20.2, plus
 * kube-controller-manager when asked, each on a free port, all state in a private run directory.
 * Nodes are plain API objects (no kubelet), so admission is configured for that
 * ({@code TaintNodesByCondition} and {@code ServiceAccount} off).
 *
 * <p>{@link #close()} stops every process it started, by pid (SIGTERM, then SIGKILL), and deletes the run
 * directory. A JVM shutdown hook does the same on Ctrl-C / SIGTERM; children run under
 * {@code setpriv --pdeathsig KILL} so even a SIGKILLed JVM leaves no process behind, and the next start
 * removes run directories whose owner died. Thread-safe.
 */
public final class LocalControlPlane implements AutoCloseable {
    /** User name of the admin token (member of {@code system:masters}). */
    public static final String ADMIN_USER = "qshard-admin";
    /**
     * The namespace and names of the components' ServiceAccounts (manifests/). The apiserver knows a static token for
     * each, authenticating as that ServiceAccount would (user {@code system:serviceaccount:NS:NAME}, groups
     * {@code system:serviceaccounts} and {@code system:serviceaccounts:NS}), so tests can run a component with exactly
     * the RBAC the manifests grant it ({@link #kubeconfigAs}).
     */
    public static final String SERVICE_ACCOUNT_NAMESPACE = "qshard-system";

    public static final List<String> SERVICE_ACCOUNTS = List.of(
            "qshard-scheduler",
            "qshard-migrate",
            "qshard-agent",
            "qshard-webhook",
            "qshard-oversale",
            "qshard-replicas");
    private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");

    private final ControlPlaneOptions options;
    private final KubeBinaries binaries;
    private final RunDirectory run;
    private final String adminToken = UUID.randomUUID().toString();
    private final int etcdClientPort = FreePorts.pick();
    private final int etcdPeerPort = FreePorts.pick();
    private final int apiserverPort = FreePorts.pick();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "qshard-control-plane-shutdown");
    private final Object lock = new Object();
    private String caPem;
    private ManagedProcess etcd;
    private ManagedProcess apiserver;
    private ManagedProcess controllerManager;

    private LocalControlPlane(ControlPlaneOptions options, KubeBinaries binaries, RunDirectory run) {
        this.options = options;
        this.binaries = binaries;
        this.run = run;
    }

    /**
     * Starts a control plane and returns once the apiserver reports {@code /readyz} (≈10 s with cached
     * binaries). On failure everything started so far is stopped and a {@link ControlPlaneException} names
     * the component and the tail of its log.
     */
    public static LocalControlPlane start(ControlPlaneOptions options) {
        KubeBinaries binaries = KubeBinaries.locate();
        LocalControlPlane cp = new LocalControlPlane(options, binaries, RunDirectory.create());
        Runtime.getRuntime().addShutdownHook(cp.shutdownHook);
        try {
            cp.boot();
            return cp;
        } catch (RuntimeException e) {
            cp.close();
            throw e;
        }
    }

    private void boot() {
        long t0 = System.nanoTime();
        writePki();
        etcd = launch("etcd", etcdCommand());
        await(
                etcd,
                HttpProbe.plain(),
                "http://127.0.0.1:" + etcdClientPort + "/health",
                r -> r.body().contains("true"));
        apiserver = launch("kube-apiserver", apiserverCommand());
        awaitApiserverReady();
        write("admin.kubeconfig", Kubeconfig.render(apiserverUrl(), caPem, adminToken));
        if (options.controllerManager()) {
            controllerManager = launch("kube-controller-manager", controllerManagerCommand());
        }
        LOG.info("local control plane up in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, this);
    }

    private void writePki() {
        Path pki = mkdir("pki");
        Pki ca = Pki.newCa("qshard-local-ca");
        caPem = ca.caPem();
        write("pki/ca.crt", caPem);
        ca.issueServing(
                        "kube-apiserver",
                        List.of(
                                "127.0.0.1",
                                "localhost",
                                "kubernetes",
                                "kubernetes.default",
                                "kubernetes.default.svc",
                                "10.0.0.1"))
                .write(pki, "apiserver");
        Pki.signingKeyPair().write(pki, "service-account");
        StringBuilder tokens = new StringBuilder(adminToken + "," + ADMIN_USER + ",uid-admin,\"system:masters\"\n");
        for (String sa : SERVICE_ACCOUNTS) {
            tokens.append(serviceAccountToken(sa))
                    .append(',')
                    .append(serviceAccountUser(sa))
                    .append(",uid-")
                    .append(sa)
                    .append(",\"system:serviceaccounts,system:serviceaccounts:")
                    .append(SERVICE_ACCOUNT_NAMESPACE)
                    .append("\"\n");
        }
        for (int i = 1; i <= KubeletNodes.MAX_NODES; i++) {
            String node = KubeletNodes.nodeName(i);
            tokens.append(nodeToken(node))
                    .append(",system:node:")
                    .append(node)
                    .append(",uid-")
                    .append(node)
                    .append(",\"system:nodes\"\n");
        }
        write("tokens.csv", tokens.toString());
        if (!options.auditVerbs().isEmpty()) {
            write("audit-policy.yaml", """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: ["RequestReceived"]
                    rules:
                    - level: Metadata
                      verbs: [%s]
                    - level: None
                    """.formatted(String.join(
                    ", ",
                    options.auditVerbs().stream()
                            .sorted()
                            .map(v -> "\"" + v + "\"")
                            .toList())));
        }
    }

    private List<String> etcdCommand() {
        String client = "http://127.0.0.1:" + etcdClientPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        return List.of(
                binaries.etcd().toString(),
                "--name=qshard",
                "--data-dir=" + mkdir("etcd"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=qshard=" + peer,
                "--logger=zap",
                "--log-level=warn");
    }

    private List<String> apiserverCommand() {
        Path pki = run.resolve("pki");
        List<String> cmd = new ArrayList<>(List.of(
                binaries.kubeApiserver().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdClientPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiserverPort,
                "--insecure-port=0",
                "--cert-dir=" + pki,
                "--tls-cert-file=" + pki.resolve("apiserver.crt"),
                "--tls-private-key-file=" + pki.resolve("apiserver.key"),
                "--client-ca-file=" + pki.resolve("ca.crt"),
                "--token-auth-file=" + run.resolve("tokens.csv"),
                "--authorization-mode=Node,RBAC", // Node: what kubelet nodes (group system:nodes) need
                "--service-account-key-file=" + pki.resolve("service-account.crt"),
                "--service-account-signing-key-file=" + pki.resolve("service-account.key"),
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-cluster-ip-range=10.0.0.0/24",
                "--disable-admission-plugins=ServiceAccount,TaintNodesByCondition",
                "--allow-privileged=true",
                "--profiling=false",
                "--v=0"));
        if (!options.auditVerbs().isEmpty()) {
            cmd.add("--audit-policy-file=" + run.resolve("audit-policy.yaml"));
            cmd.add("--audit-log-path=" + auditLogPath());
        }
        cmd.addAll(options.extraApiserverArgs());
        return cmd;
    }

    private List<String> controllerManagerCommand() {
        return List.of(
                binaries.kubeControllerManager().toString(),
                "--kubeconfig=" + kubeconfig(),
                "--leader-elect=false",
                "--controllers=*,-nodelifecycle,-serviceaccount-token,-csrsigning",
                "--kube-api-qps=500",
                "--kube-api-burst=1000", // ReplicaSets of thousands of pods in seconds, not minutes
                "--port=0",
                "--secure-port=0",
                // its default, /usr/libexec/kubernetes/kubelet-plugins/volume/exec, would be created on the host
                "--flex-volume-plugin-dir=" + mkdir("flexvolume"),
                "--v=0");
    }

    private ManagedProcess launch(String name, List<String> command) {
        Path logs = mkdir("logs");
        ManagedProcess p = ManagedProcess.start(name, command, logs.resolve(name + ".log"));
        run.recordChild(p.pid());
        return p;
    }

    private void awaitApiserverReady() {
        await(apiserver, HttpProbe.tls(caPem, adminToken), apiserverUrl() + "/readyz", r -> r.statusCode() == 200);
    }

    private void await(ManagedProcess p, HttpProbe probe, String url, Predicate<HttpResponse<String>> ok) {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new ControlPlaneException(p.name() + " exited during startup; last log lines:\n" + tail(p.log()));
            }
            Optional<HttpResponse<String>> r = probe.get(url);
            if (r.isPresent() && ok.test(r.get())) {
                return;
            }
            try {
                Thread.sleep(100); // polling an external process's health endpoint, not test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ControlPlaneException("interrupted while waiting for " + p.name(), e);
            }
        }
        throw new ControlPlaneException(p.name() + " not healthy at " + url + " after " + options.startTimeout()
                + "; last log lines:\n" + tail(p.log()));
    }

    /**
     * Removes the run directories (and kills the recorded processes) of control planes whose JVM died without
     * cleaning up, as every {@link #start} does first. Never throws.
     *
     * @return how many stale runs were removed
     */
    public static int reapStaleRuns() {
        return RunDirectory.reapStale(RunDirectory.defaultBase());
    }

    /** {@code https://127.0.0.1:<port>} of the apiserver. */
    public String apiserverUrl() {
        return "https://127.0.0.1:" + apiserverPort;
    }

    /** Admin kubeconfig (server, CA bundle, token) for clients of this control plane. */
    public Path kubeconfig() {
        return run.resolve("admin.kubeconfig");
    }

    /** The user name a ServiceAccount of {@link #SERVICE_ACCOUNTS} authenticates as. */
    public static String serviceAccountUser(String serviceAccount) {
        return "system:serviceaccount:" + SERVICE_ACCOUNT_NAMESPACE + ":" + serviceAccount;
    }

    /**
     * A kubeconfig that authenticates as the ServiceAccount {@code serviceAccount} of {@link #SERVICE_ACCOUNTS} —
     * with only the permissions RBAC grants it (none until its bindings exist).
     *
     * @throws IllegalArgumentException for any other name
     */
    public Path kubeconfigAs(String serviceAccount) {
        if (!SERVICE_ACCOUNTS.contains(serviceAccount)) {
            throw new IllegalArgumentException("no token for " + serviceAccount + "; known: " + SERVICE_ACCOUNTS);
        }
        synchronized (lock) {
            Path file = run.resolve(serviceAccount + ".kubeconfig");
            if (!java.nio.file.Files.exists(file)) {
                write(
                        serviceAccount + ".kubeconfig",
                        Kubeconfig.render(apiserverUrl(), caPem, serviceAccountToken(serviceAccount)));
            }
            return file;
        }
    }

    /**
     * A kubeconfig for the kubelet of node {@code nodeName} ({@code qshard-kl-1} … {@code qshard-kl-8}): user
     * {@code system:node:<name>} in group {@code system:nodes}, authorised by the Node authorizer.
     *
     * @throws IllegalArgumentException for any other name
     */
    public Path kubeletKubeconfig(String nodeName) {
        boolean known = false;
        for (int i = 1; i <= KubeletNodes.MAX_NODES; i++) {
            known |= KubeletNodes.nodeName(i).equals(nodeName);
        }
        if (!known) {
            throw new IllegalArgumentException("no kubelet token for node " + nodeName);
        }
        synchronized (lock) {
            Path file = run.resolve("kubelet-" + nodeName + ".kubeconfig");
            if (!Files.exists(file)) {
                write(file.getFileName().toString(), Kubeconfig.render(apiserverUrl(), caPem, nodeToken(nodeName)));
            }
            return file;
        }
    }

    private String nodeToken(String nodeName) {
        return serviceAccountToken("node/" + nodeName);
    }

    private String serviceAccountToken(String serviceAccount) {
        return java.util
                .UUID
                .nameUUIDFromBytes(
                        (adminToken + "/" + serviceAccount).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** Bearer token of {@link #ADMIN_USER}. */
    public String adminToken() {
        return adminToken;
    }

    /** PEM of the CA that signed the apiserver's serving certificate. */
    public String caPem() {
        return caPem;
    }

    /** The private run directory (logs under {@code logs/}); deleted by {@link #close()}. */
    public Path runDirectory() {
        return run.path();
    }

    /** The audit log (JSON lines) if auditing is on. */
    public Optional<Path> auditLog() {
        return options.auditVerbs().isEmpty() ? Optional.empty() : Optional.of(auditLogPath());
    }

    /** Pids of the running components, by name. */
    public Map<String, Long> pids() {
        synchronized (lock) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (ManagedProcess p : components()) {
                m.put(p.name(), p.pid());
            }
            return m;
        }
    }

    /** Starts kube-controller-manager if it is not running yet (idempotent). */
    public void ensureControllerManager() {
        synchronized (lock) {
            if (controllerManager == null || !controllerManager.isAlive()) {
                controllerManager = launch("kube-controller-manager", controllerManagerCommand());
            }
        }
    }

    /** Stops kube-apiserver (SIGTERM) and starts it again on the same port; returns when ready. */
    public void restartApiserver() {
        synchronized (lock) {
            apiserver.stop(STOP_GRACE);
            apiserver = launch("kube-apiserver", apiserverCommand());
            awaitApiserverReady();
        }
    }

    /**
     * Stops kube-apiserver, writes one key outside {@code /registry} to etcd (so its revision is past anything any
     * watcher has seen), compacts etcd to that revision and starts kube-apiserver again: every watch that resumes gets
     * {@code 410 Gone}, however busy the cluster was up to the stop. Returns when the apiserver is ready.
     *
     * @return the revision compacted to
     */
    public long restartApiserverWithCompaction() {
        synchronized (lock) {
            apiserver.stop(STOP_GRACE);
            String key = Base64.getEncoder().encodeToString("/qshard-test/compaction-bump".getBytes());
            String value = Base64.getEncoder()
                    .encodeToString(Long.toString(System.nanoTime()).getBytes());
            if (HttpProbe.plain()
                    .postJson(
                            "http://127.0.0.1:" + etcdClientPort + "/v3/kv/put",
                            "{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}")
                    .filter(r -> r.statusCode() == 200)
                    .isEmpty()) {
                throw new ControlPlaneException("etcd put before the compaction failed");
            }
            long revision = compactEtcd();
            apiserver = launch("kube-apiserver", apiserverCommand());
            awaitApiserverReady();
            return revision;
        }
    }

    /**
     * Compacts etcd's history up to its current revision (physically), as etcd's periodic compaction would;
     * watches that resume from an older resourceVersion then get {@code 410 Gone}.
     *
     * @return the revision compacted to
     */
    public long compactEtcd() {
        HttpProbe probe = HttpProbe.plain();
        String base = "http://127.0.0.1:" + etcdClientPort + "/v3/kv/";
        String anyKey = Base64.getEncoder().encodeToString("/".getBytes());
        String body = probe.postJson(base + "range", "{\"key\":\"" + anyKey + "\",\"limit\":1}")
                .map(HttpResponse::body)
                .orElseThrow(() -> new ControlPlaneException("etcd unreachable"));
        Matcher m = REVISION.matcher(body);
        if (!m.find()) {
            throw new ControlPlaneException("no revision in etcd range answer: " + body);
        }
        long revision = Long.parseLong(m.group(1));
        if (probe.postJson(base + "compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}")
                .filter(r -> r.statusCode() == 200)
                .isEmpty()) {
            throw new ControlPlaneException("etcd compaction to " + revision + " failed");
        }
        return revision;
    }

    /**
     * Stops every component (reverse start order) and deletes the run directory. Idempotent; a concurrent
     * caller (e.g. the shutdown hook while {@code main} is closing) waits until the cleanup is complete, so
     * the JVM never halts halfway through it.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed.getAndSet(true)) {
                return;
            }
            List<ManagedProcess> ps = components();
            for (int i = ps.size() - 1; i >= 0; i--) {
                ps.get(i).stop(STOP_GRACE);
            }
            run.delete();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running its hooks
        }
        LOG.info("local control plane stopped and {} removed", run.path());
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the local control plane", e);
        }
    }

    private List<ManagedProcess> components() {
        List<ManagedProcess> ps = new ArrayList<>();
        for (ManagedProcess p : new ManagedProcess[] {etcd, apiserver, controllerManager}) {
            if (p != null) {
                ps.add(p);
            }
        }
        return ps;
    }

    private Path auditLogPath() {
        return run.resolve("logs").resolve("audit.log");
    }

    private Path mkdir(String name) {
        try {
            return Files.createDirectories(run.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String name, String content) {
        try {
            Files.writeString(run.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "LocalControlPlane{apiserver=" + apiserverUrl() + ", etcd=http://127.0.0.1:" + etcdClientPort + ", pids="
                + pids() + ", dir=" + run.path() + "}";
    }
}
