package io.qshard.agent.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * cgroup v2: one unified hierarchy. Usage from {@code cpu.stat usage_usec} and {@code memory.current} minus
 * {@code inactive_file} of {@code memory.stat}; quota in {@code cpu.max} ({@code "<quota> <period>"} or
 * {@code "max <period>"}); weight in {@code cpu.weight}. Thread-safe.
 */
public final class CgroupV2Io implements CgroupIo {
    private static final long MIN_QUOTA_US = 1_000;
    private static final long DEFAULT_PERIOD_US = 100_000;

    private final Path root;
    private final CgroupLayout layout;
    private final CgroupFiles files;
    private final CpuWeightFiles weights;

    /** @param root the unified hierarchy's root, e.g. {@code /sys/fs/cgroup} */
    public CgroupV2Io(Path root, CgroupLayout layout, CgroupFiles files) {
        this.root = root;
        this.layout = layout;
        this.files = files;
        this.weights = new CpuWeightFiles(files, "cpu.max", "cpu.weight", "1");
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
        return layout.pods(root);
    }

    @Override
    public long cpuUsageNanos(String relative) {
        long usec = files.readKeyed(root.resolve(relative).resolve("cpu.stat"), "usage_usec");
        return usec < 0 ? -1 : usec * 1000;
    }

    @Override
    public long memoryWorkingSetBytes(String relative) {
        Path dir = root.resolve(relative);
        long current = files.readLong(dir.resolve("memory.current"));
        if (current < 0) {
            return -1;
        }
        long inactive = files.readKeyed(dir.resolve("memory.stat"), "inactive_file");
        return Math.max(0, current - Math.max(0, inactive));
    }

    @Override
    public long cpuQuotaMilli(String relative) {
        String max = files.read(root.resolve(relative).resolve("cpu.max"));
        if (max == null) {
            return -1;
        }
        String[] parts = max.split("\\s+");
        try {
            long period = parts.length > 1 ? Long.parseLong(parts[1]) : DEFAULT_PERIOD_US;
            return "max".equals(parts[0]) ? UNLIMITED : Long.parseLong(parts[0]) * 1000 / period;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public boolean setCpuQuotaMilli(String relative, long milli) {
        Path file = root.resolve(relative).resolve("cpu.max");
        long period = DEFAULT_PERIOD_US;
        String max = files.read(file);
        if (max != null && max.split("\\s+").length > 1) {
            try {
                period = Long.parseLong(max.split("\\s+")[1]);
            } catch (NumberFormatException e) {
                period = DEFAULT_PERIOD_US;
            }
        }
        String quota = milli == UNLIMITED ? "max" : Long.toString(Math.max(MIN_QUOTA_US, milli * period / 1000));
        return files.write(file, quota + " " + period);
    }

    @Override
    public long quotaFloorMilli(String relative, long expectedChildMilli) {
        return 0; // v2 takes the smaller of a child's and its parent's quota: no floor
    }

    @Override
    public boolean setLowestCpuWeight(String relative) {
        return weights.setLowest(root.resolve(relative));
    }

    @Override
    public CpuSettings save(String relative) {
        return weights.save(root.resolve(relative));
    }

    @Override
    public boolean restore(String relative, CpuSettings saved) {
        return weights.restore(root.resolve(relative), saved);
    }
}
