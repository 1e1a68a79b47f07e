package io.qshard.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the control-plane binaries live. Kubernetes 1.20.2 server binaries are built once by
 * {@code scripts/install-control-plane.sh} and cached under {@code <cache>/k8s-1.20.2/bin}; etcd comes
 * from Debian's {@code etcd-server} package on the {@code PATH}.
 *
 * <p>The cache directory is, in order: system property {@code qshard.cache}, environment variable
 * {@code QSHARD_CACHE}, {@code ~/.cache/qshard}. Immutable and thread-safe.
 *
 * @param etcd                  the etcd binary
 * @param kubeApiserver         kube-apiserver 1.20.2
 * @param kubeControllerManager kube-controller-manager 1.20.2
 * @param kubeScheduler         kube-scheduler 1.20.2 (the benchmark reference)
 */
public record KubeBinaries(Path etcd, Path kubeApiserver, Path kubeControllerManager, Path kubeScheduler) {

    /** Kubernetes version of the cached server binaries. */
    public static final String KUBERNETES_VERSION = "1.20.2";
    /** The script that installs everything; named in error messages. */
    public static final String INSTALL_SCRIPT = "scripts/install-control-plane.sh";

    /** Resolves the binaries from the cache and {@code PATH}, failing with a one-line fix if any is missing. */
    public static KubeBinaries locate() {
        return locate(System.getProperties().getProperty("qshard.cache"), System.getenv());
    }

    static KubeBinaries locate(String cacheProperty, Map<String, String> env) {
        Path cache = cacheDir(cacheProperty, env);
        Path bin = cache.resolve("k8s-" + KUBERNETES_VERSION).resolve("bin");
        Path etcd = onPath("etcd", env).orElseThrow(() -> missing("etcd (Debian package etcd-server)"));
        return new KubeBinaries(
                etcd,
                executable(bin.resolve("kube-apiserver")),
                executable(bin.resolve("kube-controller-manager")),
                executable(bin.resolve("kube-scheduler")));
    }

    /** The cache root: property, then {@code QSHARD_CACHE}, then {@code ~/.cache/qshard}. */
    public static Path cacheDir(String cacheProperty, Map<String, String> env) {
        if (cacheProperty != null && !cacheProperty.isBlank()) {
            return Path.of(cacheProperty);
        }
        String fromEnv = env.get("QSHARD_CACHE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "qshard");
    }

    /**
     * kubectl 1.20.2 from the cache (Debian's {@code kubernetes-client}, with its built-in kustomize), used by the
     * manifest tests; fails with the one-line fix when it is missing.
     */
    public Path kubectl() {
        return executable(kubeApiserver.resolveSibling("kubectl"));
    }

    private static Path executable(Path p) {
        if (!Files.isExecutable(p)) {
            throw missing(p.toString());
        }
        return p;
    }

    private static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static ControlPlaneException missing(String what) {
        return new ControlPlaneException("control-plane binary not found: " + what + "; run " + INSTALL_SCRIPT
                + " (it installs and builds everything once, cached under ~/.cache/qshard)");
    }
}
