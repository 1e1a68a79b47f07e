package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRuntimeConfigTest {
    private static final Path RUN = Path.of("/tmp/qshard-kl-ab12cd34");
    private static final NodeLayout N1 = new NodeLayout(RUN, "ab12cd34", 1);
    private static final KubeletTools TOOLS = new KubeletTools(
            Path.of("/cache/kubelet"),
            Path.of("/usr/bin/containerd"),
            Path.of("/usr/bin/ctr"),
            Path.of("/usr/lib/cni"),
            Path.of("/cache/img.tar"));

    @Test
    void containerdIsPrivateToTheRunAndClampsOomScores() {
        String toml = NodeRuntimeConfig.containerdToml(N1, TOOLS);
        assertThat(toml)
                .contains("restrict_oom_score_adj = true")
                .contains("root = \"/tmp/qshard-kl-ab12cd34/n1/containerd/root\"")
                .contains("state = \"/tmp/qshard-kl-ab12cd34/n1/containerd/state\"")
                .contains("address = \"/tmp/qshard-kl-ab12cd34/n1/containerd.sock\"")
                .contains("conf_dir = \"/tmp/qshard-kl-ab12cd34/n1/cni\"")
                .contains("path = \"/tmp/qshard-kl-ab12cd34/n1/containerd/opt\"")
                .contains("sandbox_image = \"" + KubeletNodes.IMAGE + "\"")
                .contains("SystemdCgroup = false");
        assertThat(N1.socket().toString().length()).as("unix socket path").isLessThan(100);
    }

    @Test
    void theBridgeHasNoGatewayNoMasqueradeAndAShortUniqueName() {
        String conf = NodeRuntimeConfig.cniConflist(N1);
        assertThat(conf)
                .contains("\"bridge\":\"qklab12cdn1\"")
                .contains("\"isGateway\":false")
                .contains("\"ipMasq\":false")
                .contains("\"dataDir\":\"/tmp/qshard-kl-ab12cd34/n1/ipam\"")
                .contains("\"subnet\":\"" + N1.subnet() + "\"");
        NodeLayout n8 = new NodeLayout(RUN, "zzzzzzzzzzzz", 8);
        assertThat(n8.bridge()).hasSizeLessThanOrEqualTo(15);
        assertThat(N1.bridge()).isNotEqualTo(new NodeLayout(RUN, "ab12cd34", 2).bridge());
        assertThat(N1.subnet()).matches("10\\.244\\.([2-9][0-9]|1[0-9][0-9]|2[01][0-9])\\.0/24");
    }

    @Test
    void containerdStartsInItsDaemonCgroupBehindPrivateDirsAndMaskedSysctls() {
        String script = NodeRuntimeConfig.nsInitScript(N1, TOOLS, Path.of("/sys/fs/cgroup"));
        assertThat(script)
                .startsWith("set -e\n")
                .contains("d=\"${h}qshard-kl-ab12cd34/sys-n1\"")
                .contains("echo $$ > \"$d/cgroup.procs\"")
                .contains("mount -t tmpfs -o mode=0755 qshard-kl /run\n")
                .contains("mount -t tmpfs -o mode=0755 qshard-kl /var/log\n")
                .contains("mount -t tmpfs -o mode=0755 qshard-kl /var/lib\n")
                .contains("mount --bind \"$m\" \"/proc/sys/$f\"")
                .endsWith("exec /usr/bin/containerd --config /tmp/qshard-kl-ab12cd34/n1/containerd.toml\n");
        for (String sysctl :
                List.of("vm/overcommit_memory", "kernel/panic", "kernel/panic_on_oops", "net/ipv4/ip_forward")) {
            assertThat(script).contains(sysctl);
        }
        assertThat(script.indexOf("cgroup.procs")).isLessThan(script.indexOf("mount"));
    }

    @Test
    void theKubeletScriptQuotesEveryArgument() {
        String script =
                NodeRuntimeConfig.kubeletScript(N1, Path.of("/sys/fs/cgroup"), List.of("/k", "--a=b c", "--q='x'"));
        assertThat(script).endsWith("exec '/k' '--a=b c' '--q='\\''x'\\'''\n");
    }

    @Test
    void theConfigFileSetsTheStatusReportFrequency() {
        assertThat(NodeRuntimeConfig.kubeletConfig(Duration.ofSeconds(10)))
                .contains("kind: KubeletConfiguration")
                .contains("nodeStatusReportFrequency: 10s");
    }

    @Test
    void aLayoutRejectsBadIdsAndIndexes() {
        assertThatThrownBy(() -> new NodeLayout(RUN, "AB/..", 1)).hasMessageContaining("runId");
        assertThatThrownBy(() -> new NodeLayout(RUN, "ab12cd34", 0)).hasMessageContaining("index");
        assertThatThrownBy(() -> new NodeLayout(RUN, "ab12cd34", 9)).hasMessageContaining("index");
    }
}
