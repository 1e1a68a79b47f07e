package io.qshard.agent.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * cgroup v1: each controller has its own hierarchy under the root ({@code cpu}, {@code cpuacct}, {@code memory}; on
 * most hosts {@code cpu} and {@code cpuacct} are links to {@code cpu,cpuacct}, on others separate mounts — both work).
 * Usage from {@code cpuacct.usage} and {@code memory.usage_in_bytes} minus {@code total_inactive_file}; quota in
 * {@code cpu.cfs_quota_us} per {@code cpu.cfs_period_us}. The kernel refuses (EINVAL) a quota below the quota of any
 * cgroup under it ({@link #quotaFloorMilli}). Thread-safe.
 */
public final class CgroupV1Io implements CgroupIo {
    private static final long MIN_QUOTA_US = 1_000;

    private final Path cpu;
    private final Path cpuacct;
    private final Path memory;
    private final CgroupLayout layout;
    private final CgroupFiles files;
    private final CpuWeightFiles weights;

    /** @param root the cgroup mount root, e.g. {@code /sys/fs/cgroup} */
    public CgroupV1Io(Path root, CgroupLayout layout, CgroupFiles files) {
        this.cpu = root.resolve("cpu");
        this.cpuacct = root.resolve("cpuacct");
        this.memory = root.resolve("memory");
        this.layout = layout;
        this.files = files;
        this.weights = new CpuWeightFiles(files, "cpu.cfs_quota_us", "cpu.shares", "2");
    }

    @Override
    public CgroupLayout layout() {
        return layout;
    }

    @Override
    public CgroupFiles files() {
        return files;
    }

    @Override
    public List<PodCgroup> pods() throws IOException {
        return layout.pods(cpuacct);
    }

    @Override
    public long cpuUsageNanos(String relative) {
        return files.readLong(cpuacct.resolve(relative).resolve("cpuacct.usage"));
    }

    @Override
    public long memoryWorkingSetBytes(String relative) {
        Path dir = memory.resolve(relative);
        long usage = files.readLong(dir.resolve("memory.usage_in_bytes"));
        if (usage < 0) {
            return -1;
        }
        long inactive = files.readKeyed(dir.resolve("memory.stat"), "total_inactive_file");
        return Math.max(0, usage - Math.max(0, inactive));
    }

    @Override
    public long cpuQuotaMilli(String relative) {
        Path dir = cpu.resolve(relative);
        long quota = files.readLong(dir.resolve("cpu.cfs_quota_us"));
        long period = files.readLong(dir.resolve("cpu.cfs_period_us"));
        if (period <= 0) {
            return -1;
        }
        return quota < 0 ? UNLIMITED : quota * 1000 / period;
    }

    @Override
    public boolean setCpuQuotaMilli(String relative, long milli) {
        Path dir = cpu.resolve(relative);
        if (milli == UNLIMITED) {
            return files.write(dir.resolve("cpu.cfs_quota_us"), "-1");
        }
        long period = files.readLong(dir.resolve("cpu.cfs_period_us"));
        if (period <= 0) {
            return false;
        }
        return files.write(
                dir.resolve("cpu.cfs_quota_us"), Long.toString(Math.max(MIN_QUOTA_US, milli * period / 1000)));
    }

    @Override
    public long quotaFloorMilli(String relative, long expectedChildMilli) {
        return Math.max(Math.max(0, expectedChildMilli), largestQuotaBelow(cpu.resolve(relative)));
    }

    /** The largest quota in the subtree under {@code dir} (itself excluded), milli-cores rounded up; 0 when none. */
    private long largestQuotaBelow(Path dir) {
        long largest = 0;
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.filter(Files::isDirectory).toList();
        } catch (IOException | UncheckedIOException e) {
            return 0; // gone meanwhile (a pod that ended): it binds nothing any more
        }
        for (Path child : children) {
            long quota = files.readLong(child.resolve("cpu.cfs_quota_us"));
            long period = quota > 0 ? files.readLong(child.resolve("cpu.cfs_period_us")) : -1;
            if (period > 0) {
                largest = Math.max(largest, (quota * 1000 + period - 1) / period);
            }
            largest = Math.max(largest, largestQuotaBelow(child));
        }
        return largest;
    }

    @Override
    public boolean setLowestCpuWeight(String relative) {
        return weights.setLowest(cpu.resolve(relative));
    }

    @Override
    public CpuSettings save(String relative) {
        return weights.save(cpu.resolve(relative));
    }

    @Override
    public boolean restore(String relative, CpuSettings saved) {
        return weights.restore(cpu.resolve(relative), saved);
    }
}
