package io.qshard.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletSupportTest {
    private static final String ROOT_STATUS = "Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
    private static final String FILESYSTEMS = "nodev\tsysfs\nnodev\ttmpfs\nnodev\toverlay\n\text4\n";

    @Test
    void aRootMachineWithCgroupV1OverlayAndUtilLinuxCanRunKubelets(@TempDir Path cgroups) throws IOException {
        hierarchies(cgroups);
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, FILESYSTEMS, cgroups, true))
                .isEmpty();
    }

    @Test
    void eachMissingPrerequisiteIsNamed(@TempDir Path cgroups) throws IOException {
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, FILESYSTEMS, cgroups, true))
                .hasValueSatisfying(
                        r -> assertThat(r).contains("cgroup v1 hierarchy").contains("/cpu"));
        hierarchies(cgroups);
        assertThat(KubeletSupport.unavailable("Uid:\t1000\t1000\t1000\t1000\n", FILESYSTEMS, cgroups, true))
                .hasValueSatisfying(r -> assertThat(r).contains("root").contains("1000"));
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, "nodev\ttmpfs\n", cgroups, true))
                .hasValueSatisfying(r -> assertThat(r).contains("overlayfs"));
        assertThat(KubeletSupport.unavailable(ROOT_STATUS, FILESYSTEMS, cgroups, false))
                .hasValueSatisfying(r -> assertThat(r).contains("unshare"));
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
