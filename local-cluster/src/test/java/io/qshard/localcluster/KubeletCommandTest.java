package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeletCommandTest {
    private static final Path RUN = Path.of("/tmp/qshard-kl-ab12cd34");
    private static final NodeLayout N2 = new NodeLayout(RUN, "ab12cd34", 2);
    private static final KubeletTools TOOLS = new KubeletTools(
            Path.of("/cache/kubelet"),
            Path.of("/usr/bin/containerd"),
            Path.of("/usr/bin/ctr"),
            Path.of("/usr/lib/cni"),
            Path.of("/cache/img.tar"));
    /** This machine: 2 cores, MemTotal 24683772 kB. */
    private static final KubeletCommand.Host HOST = new KubeletCommand.Host(2, 24683772L * 1024, "192.0.2.2");

    @Test
    void reservedFlagsLeaveExactlyThePerNodeAllocatable() {
        KubeletOptions o = KubeletOptions.defaults();
        assertThat(KubeletCommand.reservedMilliCpu(HOST, o)).isEqualTo(1000);
        assertThat(KubeletCommand.reservedMemoryBytes(HOST, o)).isEqualTo(24683772L * 1024 - (3L << 30) - (100L << 20));
        assertThat(args(o))
                .contains("--system-reserved=cpu=1000m,memory=" + (24683772L * 1024 - (3L << 30) - (100L << 20)));
    }

    @Test
    void aNodeLargerThanTheMachineIsRefusedNamingTheField() {
        assertThatThrownBy(() -> KubeletCommand.reservedMilliCpu(
                        HOST, KubeletOptions.defaults().withMilliCpuPerNode(2500)))
                .hasMessageContaining("milliCpuPerNode 2500");
        assertThatThrownBy(() -> KubeletCommand.reservedMemoryBytes(
                        HOST, KubeletOptions.defaults().withMemoryBytesPerNode(24683772L * 1024)))
                .hasMessageContaining("memoryBytesPerNode");
    }

    @Test
    void everyPathFlagPointsIntoTheRunDirectory() {
        for (String a : args(KubeletOptions.defaults())) {
            int eq = a.indexOf('=');
            if (eq < 0 || !a.startsWith("--")) {
                continue;
            }
            String value = a.substring(eq + 1).replaceFirst("^unix://", "");
            if (value.startsWith("/") && !a.startsWith("--cgroup-root")) {
                assertThat(value).as(a).startsWith(RUN + "/");
            }
        }
        assertThat(args(KubeletOptions.defaults()))
                .contains("--root-dir=" + RUN + "/n2/kubelet")
                .contains("--volume-plugin-dir=" + RUN + "/n2/kubelet/volume-plugins")
                .contains("--container-runtime-endpoint=unix://" + RUN + "/n2/containerd.sock")
                .contains("--resolv-conf=" + RUN + "/resolv.conf");
    }

    @Test
    void theNodeHasItsOwnCgroupRootPortsLabelsAndNoHostSideEffects() {
        List<String> a = args(KubeletOptions.defaults());
        assertThat(a.get(0)).isEqualTo("/cache/kubelet");
        assertThat(a)
                .contains("--cgroup-root=/qshard-kl-ab12cd34/n2")
                .contains("--hostname-override=qshard-kl-2")
                .contains("--node-ip=192.0.2.2")
                .contains("--port=10301", "--healthz-port=10302", "--read-only-port=0", "--anonymous-auth=false")
                .contains("--make-iptables-util-chains=false")
                .contains("--feature-gates=DevicePlugins=false")
                .contains("--node-status-update-frequency=2000ms")
                .contains("--node-labels=" + KubeletNodes.NODE_LABEL + "=true," + KubeletNodes.RUN_LABEL + "=ab12cd34");
    }

    @Test
    void memTotalIsParsedInBytes() {
        assertThat(KubeletCommand.Host.memTotal("MemTotal:       24683772 kB\nMemFree: 1 kB\n"))
                .isEqualTo(24683772L * 1024);
    }

    private static List<String> args(KubeletOptions o) {
        return KubeletCommand.build(N2, TOOLS, HOST, o, 10301, 10302, RUN.resolve("resolv.conf"));
    }
}
