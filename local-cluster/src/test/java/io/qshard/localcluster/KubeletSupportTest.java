package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletSupportTest {
    private static final String ROOT_STATUS =
            "Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n";
    private static final String FILESYSTEMS = "nodev\tsysfs\nnodev\ttmpfs\nnodev\toverlay\n\text4\n";

    @Test
    void aRootMachineWithCgroupV1AndOverlayCanRunKubelets(@TempDir Path cgroups) throws IOException {
        hierarchies(cgroups);
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, FILESYSTEMS, cgroups))
                .isEmpty();
    }

    @Test
    void eachMissingPrerequisiteIsNamed(@TempDir Path cgroups) throws IOException {
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, FILESYSTEMS, cgroups))
                .hasValueSatisfying(
                        r -> assertThat(r).contains("cgroup v1 hierarchy").contains("/cpu"));
        hierarchies(cgroups);
        assertThat(KubeletSupport.unavailable("Uid:\t1000\t1000\t1000\t1000\n", FILESYSTEMS, cgroups))
                .hasValueSatisfying(r -> assertThat(r).contains("root").contains("1000"));
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, "nodev\ttmpfs\n", cgroups))
                .hasValueSatisfying(r -> assertThat(r).contains("overlayfs"));
    }

    @Test
    void rootWithoutCapSysAdminInItsEffectiveSetCannot(@TempDir Path cgroups) throws IOException {
        hierarchies(cgroups);
        String unprivileged = ROOT_STATUS.replace("CapEff:\t000001ffffffffff", "CapEff:\t00000000a80425fb");
        assertThat(KubeletSupport.unavailable(unprivileged, FILESYSTEMS, cgroups))
                .hasValueSatisfying(r -> assertThat(r).contains("CAP_SYS_ADMIN").contains("00000000a80425fb"));
        assertThat(KubeletSupport.unavailable(ROOT_STATUS.replace("CapEff", "CapPrm"), FILESYSTEMS, cgroups))
                .hasValueSatisfying(r -> assertThat(r).contains("CAP_SYS_ADMIN").contains("absent"));
        assertThat(KubeletSupport.hasSysAdmin("CapEff:\t0000000000200000\n")).isTrue();
        assertThat(KubeletSupport.hasSysAdmin("CapEff:\t00000000001fffff\n")).isFalse();
        assertThat(KubeletSupport.hasSysAdmin("CapEff:\tzz\n")).isFalse();
    }

    @Test
    void theEffectiveUidIsTheSecondField() {
        assertThat(KubeletSupport.uid("Uid:\t1000\t0\t0\t0\n")).isZero();
        assertThat(KubeletSupport.uid("Name: x\n")).isEqualTo(-1);
    }

    private static void hierarchies(Path cgroups) throws IOException {
        for (String h : KubeletSupport.REQUIRED_HIERARCHIES) {
            Files.createDirectories(cgroups.resolve(h));
            Files.writeString(cgroups.resolve(h).resolve("cgroup.procs"), "");
        }
    }
}
