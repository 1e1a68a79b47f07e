package io.qshard.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.testing.FakeCgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupLayoutTest {
    private static final String UID = "6b1a2c3d-0000-4abc-8def-0123456789ab";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "CGROUPFS | GUARANTEED | kubepods/pod6b1a2c3d-0000-4abc-8def-0123456789ab",
                "CGROUPFS | BURSTABLE  | kubepods/burstable/pod6b1a2c3d-0000-4abc-8def-0123456789ab",
                "CGROUPFS | BESTEFFORT | kubepods/besteffort/pod6b1a2c3d-0000-4abc-8def-0123456789ab",
                "SYSTEMD  | GUARANTEED | kubepods.slice/kubepods-pod6b1a2c3d_0000_4abc_8def_0123456789ab.slice",
                "SYSTEMD  | BURSTABLE  | kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6b1a2c3d_0000_4abc_8def_0123456789ab.slice",
                "SYSTEMD  | BESTEFFORT | kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod6b1a2c3d_0000_4abc_8def_0123456789ab.slice",
            })
    void podCgroupsAreNamedAsEachDriverNamesThem(CgroupDriver driver, QosClass qos, String expected) {
        assertThat(new CgroupLayout(driver, "").pod(qos, UID)).isEqualTo(expected);
        assertThat(new CgroupLayout(driver, "/it-1/").pod(qos, UID)).isEqualTo("it-1/" + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"CGROUPFS", "SYSTEMD"})
    void podsAreFoundInEveryClassWithTheirUidsAndOtherDirectoriesIgnored(CgroupDriver driver, @TempDir Path root)
            throws Exception {
        CgroupLayout layout = new CgroupLayout(driver, "");
        for (QosClass qos : QosClass.values()) {
            Files.createDirectories(root.resolve(layout.pod(qos, UID.replace("6b1a", "aaa" + qos.ordinal()))));
        }
        Files.createDirectories(root.resolve(layout.kubepods()).resolve("not-a-pod"));
        Files.createDirectories(
                root.resolve(layout.classParent(QosClass.BURSTABLE)).resolve("system.slice"));
        List<PodCgroup> pods = layout.pods(root);
        assertThat(pods)
                .extracting(PodCgroup::uid)
                .containsExactlyInAnyOrder(
                        UID.replace("6b1a", "aaa0"), UID.replace("6b1a", "aaa1"), UID.replace("6b1a", "aaa2"));
        assertThat(pods).allSatisfy(p -> assertThat(p.relative()).isEqualTo(layout.pod(p.qos(), p.uid())));
    }

    @Test
    void anAbsentHierarchyHasNoPods(@TempDir Path root) throws Exception {
        assertThat(new CgroupLayout(CgroupDriver.CGROUPFS, "").pods(root)).isEmpty();
    }

    @Test
    void theVersionIsDetectedFromTheRoot(@TempDir Path root) {
        FakeCgroups v2 = new FakeCgroups(root.resolve("v2"), 2, CgroupDriver.CGROUPFS);
        assertThat(CgroupVersions.open(v2.root, "auto", v2.layout, v2.files)).isInstanceOf(CgroupV2Io.class);
        FakeCgroups v1 = new FakeCgroups(root.resolve("v1"), 1, CgroupDriver.CGROUPFS);
        v1.create("kubepods");
        assertThat(CgroupVersions.open(v1.root, "auto", v1.layout, v1.files)).isInstanceOf(CgroupV1Io.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CgroupVersions.open(root.resolve("empty"), "auto", v1.layout, v1.files))
                .hasMessageContaining("--cgroup-root");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CgroupVersions.open(root, "3", v1.layout, v1.files))
                .hasMessageContaining("--cgroup-version must be 1, 2 or auto");
    }
}
