package io.qshard.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binaries and the image a kubelet node needs: kubelet 1.20.2 from the cache ({@code <cache>/k8s-1.20.2/bin}),
 * Debian's containerd, {@code ctr}, the runc shim, runc and the CNI plugins, util-linux's {@code unshare} and
 * {@code nsenter}, {@code ip}, and the local image tar {@code <cache>/images/qshard-busybox-1.0.tar}, all installed by
 * {@value KubeBinaries#INSTALL_SCRIPT}. Immutable and thread-safe.
 *
 * @param kubelet    kubelet 1.20.2
 * @param containerd containerd (1.6 from Debian)
 * @param ctr        containerd's CLI, used to import the image
 * @param cniBinDir  the CNI plugins ({@code bridge}, {@code host-local}, {@code loopback})
 * @param imageTar   the {@code docker save} tar of {@link KubeletNodes#IMAGE}
 */
public record KubeletTools(Path kubelet, Path containerd, Path ctr, Path cniBinDir, Path imageTar) {

    static final Path UNSHARE = Path.of("/usr/bin/unshare");
    static final Path NSENTER = Path.of("/usr/bin/nsenter");
    /** iproute2's {@code ip} ({@code /sbin/ip} with and without merged {@code /usr}); deletes the run's bridges. */
    static final Path IP = Path.of("/sbin/ip");

    /**
     * Resolves everything from the cache and the usual Debian paths.
     *
     * @throws ControlPlaneException naming every missing piece (also util-linux's {@code unshare}/{@code nsenter} and
     *     iproute2's {@code ip}) and the install script
     */
    public static KubeletTools locate() {
        Path cache = KubeBinaries.cacheDir(System.getProperty("qshard.cache"), System.getenv());
        return locate(cache, Map.of());
    }

    /** As {@link #locate()} with an explicit cache; {@code overrides} replaces default paths by name (tests). */
    static KubeletTools locate(Path cache, Map<String, Path> overrides) {
        KubeletTools t = new KubeletTools(
                overrides.getOrDefault(
                        "kubelet", cache.resolve("k8s-" + KubeBinaries.KUBERNETES_VERSION + "/bin/kubelet")),
                overrides.getOrDefault("containerd", Path.of("/usr/bin/containerd")),
                overrides.getOrDefault("ctr", Path.of("/usr/bin/ctr")),
                overrides.getOrDefault("cni", Path.of("/usr/lib/cni")),
                overrides.getOrDefault("image", cache.resolve("images/qshard-busybox-1.0.tar")));
        List<String> missing = t.missing(overrides);
        if (!missing.isEmpty()) {
            throw new ControlPlaneException("kubelet node tools not found: " + String.join(", ", missing) + "; run "
                    + KubeBinaries.INSTALL_SCRIPT + " (it installs and builds everything once, cached under "
                    + cache + ")");
        }
        return t;
    }

    private List<String> missing(Map<String, Path> overrides) {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(kubelet, containerd, ctr, cniBinDir.resolve("bridge"), cniBinDir.resolve("host-local"))) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        Map<String, Path> system = Map.of("unshare", UNSHARE, "nsenter", NSENTER, "ip", IP);
        for (String tool : List.of("unshare", "nsenter", "ip")) {
            Path p = overrides.getOrDefault(tool, system.get(tool));
            if (!Files.isExecutable(p)) {
                missing.add(p + " (" + (tool.equals("ip") ? "iproute2" : "util-linux") + ")");
            }
        }
        Path shim = overrides.getOrDefault("shim", containerd.resolveSibling("containerd-shim-runc-v2"));
        if (!Files.isExecutable(shim)) {
            missing.add(shim.toString());
        }
        if (!Files.isRegularFile(imageTar)) {
            missing.add(imageTar.toString());
        }
        return missing;
    }
}
