package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletToolsTest {

    @Test
    void aMissingKubeletOrImageFailsWithTheInstallHint(@TempDir Path cache) throws IOException {
        Map<String, Path> tools = fakeTools(cache);
        assertThatThrownBy(() -> KubeletTools.locate(cache, tools))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining(cache.resolve("k8s-1.20.2/bin/kubelet").toString())
                .hasMessageContaining(
                        cache.resolve("images/qshard-busybox-1.0.tar").toString())
                .hasMessageContaining(KubeBinaries.INSTALL_SCRIPT);
    }

    @Test
    void everythingInPlaceIsLocated(@TempDir Path cache) throws IOException {
        Map<String, Path> tools = fakeTools(cache);
        executable(cache.resolve("k8s-1.20.2/bin/kubelet"));
        Files.createDirectories(cache.resolve("images"));
        Files.writeString(cache.resolve("images/qshard-busybox-1.0.tar"), "tar");

        KubeletTools t = KubeletTools.locate(cache, tools);

        assertThat(t.kubelet()).isEqualTo(cache.resolve("k8s-1.20.2/bin/kubelet"));
        assertThat(t.imageTar()).isEqualTo(cache.resolve("images/qshard-busybox-1.0.tar"));
    }

    @Test
    void aMissingUnshareNsenterOrIpIsAMissingToolWithItsPackage(@TempDir Path cache) throws IOException {
        Map<String, Path> tools = new HashMap<>(fakeTools(cache));
        executable(cache.resolve("k8s-1.20.2/bin/kubelet"));
        Files.createDirectories(cache.resolve("images"));
        Files.writeString(cache.resolve("images/qshard-busybox-1.0.tar"), "tar");
        tools.put("ip", cache.resolve("no/ip"));
        tools.put("nsenter", cache.resolve("no/nsenter"));

        assertThatThrownBy(() -> KubeletTools.locate(cache, tools))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining(cache.resolve("no/ip") + " (iproute2)")
                .hasMessageContaining(cache.resolve("no/nsenter") + " (util-linux)")
                .hasMessageNotContaining("unshare")
                .hasMessageContaining(KubeBinaries.INSTALL_SCRIPT);
    }

    /** containerd, ctr, the shim, the CNI plugins, unshare, nsenter and ip as empty executables under {@code dir}. */
    private static Map<String, Path> fakeTools(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("usr-bin"));
        Path cni = Files.createDirectories(dir.resolve("cni"));
        for (Path p : new Path[] {
            bin.resolve("containerd"),
            bin.resolve("ctr"),
            bin.resolve("containerd-shim-runc-v2"),
            cni.resolve("bridge"),
            cni.resolve("host-local"),
            bin.resolve("unshare"),
            bin.resolve("nsenter"),
            bin.resolve("ip")
        }) {
            executable(p);
        }
        return Map.of(
                "containerd", bin.resolve("containerd"),
                "ctr", bin.resolve("ctr"),
                "cni", cni,
                "unshare", bin.resolve("unshare"),
                "nsenter", bin.resolve("nsenter"),
                "ip", bin.resolve("ip"));
    }

    private static void executable(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
