package io.qshard.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The kubelet's command line for one node (pure; plan §3.4). Every path flag points into the node's directory, so
 * the kubelet creates nothing on the host outside the run directory; {@code --system-reserved} splits the machine so
 * that the node's allocatable is exactly {@link KubeletOptions#milliCpuPerNode()} and
 * {@link KubeletOptions#memoryBytesPerNode()}. Stateless and thread-safe.
 */
final class KubeletCommand {
    /** {@code --eviction-hard memory.available}: part of the reserved arithmetic. */
    static final long EVICTION_MEMORY_BYTES = 100L << 20;

    /**
     * Facts about this machine the kubelet's flags depend on.
     *
     * @param cores         online cpus (what cAdvisor reports as capacity)
     * @param memTotalBytes {@code MemTotal} of {@code /proc/meminfo} (the kubelet's memory capacity)
     * @param nodeIp        the host's own non-loopback IPv4 (the kubelet refuses a loopback node IP)
     */
    record Host(int cores, long memTotalBytes, String nodeIp) {
        static Host detect() {
            try {
                return new Host(
                        Runtime.getRuntime().availableProcessors(),
                        memTotal(Files.readString(Path.of("/proc/meminfo"))),
                        detectNodeIp());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static long memTotal(String meminfo) {
            return meminfo.lines()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no MemTotal in /proc/meminfo"));
        }

        private static String detectNodeIp() {
            try {
                for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!nif.isUp() || nif.isLoopback()) {
                        continue;
                    }
                    for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                            return a.getHostAddress();
                        }
                    }
                }
            } catch (SocketException e) {
                throw new ControlPlaneException("cannot list network interfaces: " + e.getMessage(), e);
            }
            throw new ControlPlaneException("no non-loopback IPv4 address on an interface that is up: a kubelet "
                    + "needs one as its --node-ip");
        }
    }

    private KubeletCommand() {}

    /** {@code --system-reserved} cpu in millicores; fails naming the field when the node asks for more than exists. */
    static long reservedMilliCpu(Host host, KubeletOptions o) {
        long r = host.cores() * 1000L - o.milliCpuPerNode();
        if (r < 0) {
            throw new IllegalArgumentException(
                    "milliCpuPerNode " + o.milliCpuPerNode() + " exceeds the machine's " + host.cores() + " cores");
        }
        return r;
    }

    /** {@code --system-reserved} memory in bytes (MemTotal − per-node memory − the eviction threshold). */
    static long reservedMemoryBytes(Host host, KubeletOptions o) {
        long r = host.memTotalBytes() - o.memoryBytesPerNode() - EVICTION_MEMORY_BYTES;
        if (r < 0) {
            throw new IllegalArgumentException("memoryBytesPerNode " + o.memoryBytesPerNode() + " exceeds MemTotal "
                    + host.memTotalBytes() + " minus the 100Mi eviction threshold");
        }
        return r;
    }

    static List<String> build(
            NodeLayout n, KubeletTools tools, Host host, KubeletOptions o, int port, int healthzPort, Path resolvConf) {
        Path d = n.dir();
        Path root = n.kubeletRoot();
        List<String> c = new ArrayList<>(List.of(
                tools.kubelet().toString(),
                "--config=" + d.resolve("kubelet-config.yaml"),
                "--kubeconfig=" + d.resolve("kubelet.kubeconfig"),
                "--hostname-override=" + n.nodeName(),
                "--node-ip=" + host.nodeIp(),
                "--root-dir=" + root,
                "--cert-dir=" + root.resolve("pki"),
                "--volume-plugin-dir=" + root.resolve("volume-plugins"),
                "--seccomp-profile-root=" + root.resolve("seccomp"),
                "--resolv-conf=" + resolvConf,
                "--container-runtime=remote",
                "--container-runtime-endpoint=unix://" + n.socket(),
                "--pod-infra-container-image=" + KubeletNodes.IMAGE,
                "--cgroup-driver=cgroupfs",
                "--cgroups-per-qos=true",
                "--cgroup-root=/" + n.podCgroup(),
                "--enforce-node-allocatable=pods",
                "--system-reserved=cpu=" + reservedMilliCpu(host, o) + "m,memory=" + reservedMemoryBytes(host, o),
                "--eviction-hard=memory.available<100Mi,nodefs.available<1%,nodefs.inodesFree<1%,imagefs.available<1%",
                "--image-gc-high-threshold=100",
                "--image-gc-low-threshold=99",
                "--fail-swap-on=false",
                "--make-iptables-util-chains=false",
                "--address=127.0.0.1",
                "--port=" + port,
                "--read-only-port=0",
                "--healthz-bind-address=127.0.0.1",
                "--healthz-port=" + healthzPort,
                "--anonymous-auth=false",
                "--node-status-update-frequency=" + o.statusUpdateFrequency().toMillis() + "ms",
                "--kube-api-qps=50",
                "--kube-api-burst=100",
                "--event-qps=50",
                "--event-burst=100",
                "--node-labels=" + KubeletNodes.NODE_LABEL + "=true," + KubeletNodes.RUN_LABEL + "=" + n.runId(),
                "--feature-gates=DevicePlugins=false",
                "--v=1"));
        return List.copyOf(c);
    }
}
