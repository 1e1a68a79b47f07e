package io.qshard.localcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Renders the files of one kubelet node (pure): containerd's config, the CNI conflist, the two launch scripts that
 * put containerd and the kubelet into the node's daemon cgroup and the private mount namespace, and the kubelet's
 * config file. Stateless and thread-safe.
 */
final class NodeRuntimeConfig {
    /** The sysctls the kubelet (and the CNI bridge with {@code isGateway}) would write; masked in the namespace. */
    static final List<String> MASKED_SYSCTLS = List.of(
            "vm/overcommit_memory",
            "vm/panic_on_oom",
            "kernel/panic",
            "kernel/panic_on_oops",
            "kernel/keys/root_maxkeys",
            "kernel/keys/root_maxbytes",
            "net/ipv4/ip_forward");
    /** Host directories hidden behind a tmpfs in the namespace: where 1.20 kubelets and containerd hard-code paths. */
    static final List<String> PRIVATE_DIRS = List.of("/run", "/var/log", "/var/lib");
    /** Host paths a 1.20 kubelet, containerd or CNI would create outside the namespace; recorded at start. */
    static final List<String> HOST_PATHS = List.of(
            "/var/log/pods",
            "/var/log/containers",
            "/run/containerd",
            "/run/netns",
            "/var/lib/kubelet",
            "/var/lib/containerd",
            "/var/lib/cni",
            "/opt/containerd",
            "/usr/libexec/kubernetes");

    private NodeRuntimeConfig() {}

    static String containerdToml(NodeLayout n, KubeletTools tools) {
        Path d = n.dir();
        return """
                version = 2
                root = "%1$s/containerd/root"
                state = "%1$s/containerd/state"
                oom_score = 0
                disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", \
                "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
                [grpc]
                  address = "%2$s"
                [debug]
                  level = "warn"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%3$s"
                  restrict_oom_score_adj = true
                  netns_mounts_under_state_dir = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                    runtime_type = "io.containerd.runc.v2"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                      SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%4$s"
                    conf_dir = "%1$s/cni"
                [plugins."io.containerd.internal.v1.opt"]
                  path = "%1$s/containerd/opt"
                """.formatted(d, n.socket(), KubeletNodes.IMAGE, tools.cniBinDir());
    }

    /** A bridge without gateway address and masquerading: CNI then touches neither ip_forward nor iptables. */
    static String cniConflist(NodeLayout n) {
        return """
                {"cniVersion":"0.4.0","name":"qshard-kl","plugins":[{"type":"bridge","bridge":"%s",\
                "isGateway":false,"ipMasq":false,"ipam":{"type":"host-local","ranges":[[{"subnet":"%s"}]],\
                "dataDir":"%s"}}]}
                """.formatted(n.bridge(), n.subnet(), n.dir().resolve("ipam"));
    }

    /** Moves the shell into the node's daemon cgroup in every hierarchy (the exec'd daemon inherits it). */
    static String enterCgroup(NodeLayout n, Path cgroupRoot) {
        return "for h in " + cgroupRoot + "/*/; do d=\"${h}" + n.daemonCgroup()
                + "\"; if [ -d \"$d\" ]; then echo $$ > \"$d/cgroup.procs\"; fi; done\n";
    }

    /** containerd's launcher, run as {@code unshare --mount --propagation private -- /bin/sh ns-init.sh}. */
    static String nsInitScript(NodeLayout n, KubeletTools tools, Path cgroupRoot) {
        StringBuilder s = new StringBuilder("set -e\n").append(enterCgroup(n, cgroupRoot));
        for (String dir : PRIVATE_DIRS) {
            s.append("mount -t tmpfs -o mode=0755 qshard-kl ").append(dir).append('\n');
        }
        s.append("for f in ")
                .append(String.join(" ", MASKED_SYSCTLS))
                .append("; do\n")
                .append("  m=\"")
                .append(n.dir().resolve("sysctl"))
                .append("/$(echo \"$f\" | tr / _)\"\n")
                .append("  cat \"/proc/sys/$f\" > \"$m\"; mount --bind \"$m\" \"/proc/sys/$f\"\n")
                .append("done\n")
                .append("exec ")
                .append(tools.containerd())
                .append(" --config ")
                .append(n.dir().resolve("containerd.toml"))
                .append('\n');
        return s.toString();
    }

    /** The kubelet's launcher, run as {@code nsenter --mount=/proc/<containerd>/ns/mnt -- /bin/sh kubelet.sh}. */
    static String kubeletScript(NodeLayout n, Path cgroupRoot, List<String> kubeletCommand) {
        StringBuilder s =
                new StringBuilder("set -e\n").append(enterCgroup(n, cgroupRoot)).append("exec");
        for (String arg : kubeletCommand) {
            s.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return s.append('\n').toString();
    }

    /** What only the config file can set: an unchanged status is still reported every 10 s (default 5 min). */
    static String kubeletConfig(Duration statusReportFrequency) {
        return """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                nodeStatusReportFrequency: %ds
                """.formatted(statusReportFrequency.toSeconds());
    }

    /** {@code path=present|absent} for each of {@link #HOST_PATHS}, now (before the run's nodes start). */
    static String hostPathBaseline() {
        StringBuilder s = new StringBuilder();
        for (String p : HOST_PATHS) {
            s.append(p)
                    .append('=')
                    .append(Files.exists(Path.of(p)) ? "present" : "absent")
                    .append('\n');
        }
        return s.toString();
    }
}
