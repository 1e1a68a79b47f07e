package io.qshard.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.qshard.agent.testing.FakeCgroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads and writes of both cgroup versions, with both drivers' naming, on fake trees. */
class CgroupIoTest {
    private static final String UID = "11111111-2222-3333-4444-555555555555";

    static List<Object[]> layouts() {
        return FakeCgroups.layouts();
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void usageIsReadFromTheVersionsFiles(int version, CgroupDriver driver, @TempDir Path root) throws Exception {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        String pod = fake.layout.pod(QosClass.BURSTABLE, UID);
        fake.create(pod);
        fake.set(pod, 5_000_000_000L, 300L << 20, 100L << 20);
        assertThat(fake.io.cpuUsageNanos(pod)).isEqualTo(5_000_000_000L);
        assertThat(fake.io.memoryWorkingSetBytes(pod))
                .as("usage − inactive file")
                .isEqualTo(200L << 20);
        assertThat(fake.io.pods()).containsExactly(new PodCgroup(UID, QosClass.BURSTABLE, pod));
        assertThat(fake.files.readErrors.sum()).isZero();
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void theLowestWeightClearsIdleSchedulingLeftByAnOlderAgent(int version, CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        String parent = fake.layout.classParent(QosClass.BESTEFFORT);
        fake.create(parent);
        Path idle = root.resolve(version == 1 ? "cpu" : "").resolve(parent).resolve("cpu.idle");
        FakeCgroups.write(idle, "1");
        CgroupIo.CpuSettings saved = fake.io.save(parent);
        assertThat(fake.io.setLowestCpuWeight(parent)).isTrue();
        assertThat(fake.cpuFile(parent, "cpu.idle"))
                .as("cpu.idle = 1 would make the kernel refuse the kubelet's weight writes")
                .isEqualTo("0");
        assertThat(fake.cpuFile(parent, version == 1 ? "cpu.shares" : "cpu.weight"))
                .isEqualTo(version == 1 ? "2" : "1");
        FakeCgroups.write(idle, "1");
        assertThat(fake.io.restore(parent, saved)).isTrue();
        assertThat(fake.cpuFile(parent, "cpu.idle"))
                .as("the restore never brings back the 1 a killed older agent left")
                .isEqualTo("0");
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void quotasAreWrittenInTheVersionsFormatAndRestored(int version, CgroupDriver driver, @TempDir Path root) {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        String parent = fake.layout.classParent(QosClass.BESTEFFORT);
        fake.create(parent);
        CgroupIo.CpuSettings saved = fake.io.save(parent);
        assertThat(fake.io.cpuQuotaMilli(parent)).isEqualTo(CgroupIo.UNLIMITED);

        assertThat(fake.io.setCpuQuotaMilli(parent, 1_500)).isTrue();
        // 1500m of a 100 ms period = 150000 µs
        assertThat(fake.cpuFile(parent, fake.quotaFile())).isEqualTo(version == 1 ? "150000" : "150000 100000");
        assertThat(fake.io.cpuQuotaMilli(parent)).isEqualTo(1_500);
        assertThat(fake.io.setCpuQuotaMilli(parent, 0)).isTrue(); // never below the kernel's 1 ms per period
        assertThat(fake.cpuFile(parent, fake.quotaFile())).isEqualTo(version == 1 ? "1000" : "1000 100000");

        assertThat(fake.io.setLowestCpuWeight(parent)).isTrue();
        assertThat(fake.cpuFile(parent, version == 1 ? "cpu.shares" : "cpu.weight"))
                .isEqualTo(version == 1 ? "2" : "1");
        if (version == 1) {
            assertThat(fake.cpuFile(parent, "cpu.idle"))
                    .as("never idle scheduling: the kernel would refuse the kubelet's weight writes")
                    .isEqualTo("0");
        }

        assertThat(fake.io.restore(parent, saved)).isTrue();
        assertThat(fake.io.cpuQuotaMilli(parent)).isEqualTo(CgroupIo.UNLIMITED);
        assertThat(fake.cpuFile(parent, version == 1 ? "cpu.shares" : "cpu.weight"))
                .isEqualTo(version == 1 ? "1024" : "100");
    }

    @ParameterizedTest(name = "v{0} {1}")
    @MethodSource("layouts")
    void missingOrMalformedFilesAreCountedNotThrown(int version, CgroupDriver driver, @TempDir Path root)
            throws Exception {
        FakeCgroups fake = new FakeCgroups(root, version, driver);
        String gone = fake.layout.pod(QosClass.BESTEFFORT, UID);
        assertThat(fake.io.cpuUsageNanos(gone)).isEqualTo(-1);
        assertThat(fake.io.memoryWorkingSetBytes(gone)).isEqualTo(-1);
        assertThat(fake.io.cpuQuotaMilli(gone)).isEqualTo(-1);
        assertThat(fake.files.readErrors.sum()).isGreaterThanOrEqualTo(3);

        String bad = fake.layout.pod(QosClass.BURSTABLE, UID);
        fake.create(bad);
        Path usage = version == 1
                ? root.resolve("cpuacct").resolve(bad).resolve("cpuacct.usage")
                : root.resolve(bad).resolve("cpu.stat");
        Files.writeString(usage, version == 1 ? "garbage" : "usage_usec lots\n");
        long before = fake.files.readErrors.sum();
        assertThat(fake.io.cpuUsageNanos(bad)).isEqualTo(-1);
        assertThat(fake.files.readErrors.sum()).isEqualTo(before + 1);

        assertThat(fake.io.setCpuQuotaMilli(fake.layout.classParent(QosClass.BURSTABLE) + "/absent", 500))
                .isFalse();
        assertThat(fake.files.writeErrors.sum() + fake.files.readErrors.sum()).isGreaterThan(before + 1);
    }
}
