package io.qshard.agent.testing;

import io.qshard.agent.cgroup.CgroupDriver;
import io.qshard.agent.cgroup.CgroupFiles;
import io.qshard.agent.cgroup.CgroupIo;
import io.qshard.agent.cgroup.CgroupLayout;
import io.qshard.agent.cgroup.CgroupV1Io;
import io.qshard.agent.cgroup.CgroupV2Io;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fake cgroup tree in a temporary directory, laid out like the kernel's for v1 (cpu, cpuacct, memory hierarchies)
 * or v2 (one hierarchy), with the files the agent reads and writes. Counters are set by the test.
 */
public final class FakeCgroups {
    public final Path root;
    public final int version;
    public final CgroupLayout layout;
    public final CgroupFiles files = new CgroupFiles();
    public final CgroupIo io;

    public FakeCgroups(Path root, int version, CgroupDriver driver) {
        this.root = root;
        this.version = version;
        this.layout = new CgroupLayout(driver, "");
        this.io = version == 1 ? new CgroupV1Io(root, layout, files) : new CgroupV2Io(root, layout, files);
        if (version == 2) {
            write(root.resolve("cgroup.controllers"), "cpu memory");
        }
    }

    /** Creates a cgroup with zero usage, unlimited quota and default weight. */
    public void create(String relative) {
        if (version == 1) {
            write(root.resolve("cpuacct").resolve(relative).resolve("cpuacct.usage"), "0");
            write(root.resolve("cpu").resolve(relative).resolve("cpu.cfs_quota_us"), "-1");
            write(root.resolve("cpu").resolve(relative).resolve("cpu.cfs_period_us"), "100000");
            write(root.resolve("cpu").resolve(relative).resolve("cpu.shares"), "1024");
            write(root.resolve("cpu").resolve(relative).resolve("cpu.idle"), "0");
            write(root.resolve("memory").resolve(relative).resolve("memory.usage_in_bytes"), "0");
            write(root.resolve("memory").resolve(relative).resolve("memory.stat"), "cache 0\ntotal_inactive_file 0\n");
        } else {
            write(root.resolve(relative).resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
            write(root.resolve(relative).resolve("cpu.max"), "max 100000");
            write(root.resolve(relative).resolve("cpu.weight"), "100");
            write(root.resolve(relative).resolve("memory.current"), "0");
            write(root.resolve(relative).resolve("memory.stat"), "anon 0\ninactive_file 0\n");
        }
    }

    /** Sets a cgroup's cumulative cpu time (ns; v2 stores µs) and memory (usage and inactive file cache). */
    public void set(String relative, long cpuNanos, long memoryBytes, long inactiveFileBytes) {
        if (version == 1) {
            write(root.resolve("cpuacct").resolve(relative).resolve("cpuacct.usage"), Long.toString(cpuNanos));
            write(
                    root.resolve("memory").resolve(relative).resolve("memory.usage_in_bytes"),
                    Long.toString(memoryBytes));
            write(
                    root.resolve("memory").resolve(relative).resolve("memory.stat"),
                    "cache 0\ninactive_file 1\ntotal_inactive_file " + inactiveFileBytes + "\n");
        } else {
            write(root.resolve(relative).resolve("cpu.stat"), "usage_usec " + cpuNanos / 1000 + "\nuser_usec 0\n");
            write(root.resolve(relative).resolve("memory.current"), Long.toString(memoryBytes));
            write(root.resolve(relative).resolve("memory.stat"), "anon 0\ninactive_file " + inactiveFileBytes + "\n");
        }
    }

    /** Reads a control file of the cpu controller (v1) or the unified hierarchy (v2). */
    public String cpuFile(String relative, String file) {
        try {
            return Files.readString((version == 1 ? root.resolve("cpu") : root)
                            .resolve(relative)
                            .resolve(file))
                    .trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cpu quota control file's name for this version. */
    public String quotaFile() {
        return version == 1 ? "cpu.cfs_quota_us" : "cpu.max";
    }

    /** Every layout the agent supports, for parameterised tests: (version, driver). */
    public static List<Object[]> layouts() {
        return List.of(
                new Object[] {1, CgroupDriver.CGROUPFS},
                new Object[] {1, CgroupDriver.SYSTEMD},
                new Object[] {2, CgroupDriver.CGROUPFS},
                new Object[] {2, CgroupDriver.SYSTEMD});
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
