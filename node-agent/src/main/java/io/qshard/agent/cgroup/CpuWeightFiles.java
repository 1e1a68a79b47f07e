package io.qshard.agent.cgroup;

import java.nio.file.Path;

/**
 * The cpu control files both cgroup versions save, restore and lower the same way, under their own names: v1
 * {@code cpu.cfs_quota_us} / {@code cpu.shares} (lowest 2), v2 {@code cpu.max} / {@code cpu.weight} (lowest 1), and
 * {@code cpu.idle} where the kernel has it. Thread-safe (stateless over {@link CgroupFiles}).
 */
final class CpuWeightFiles {
    private final CgroupFiles files;
    private final String quota;
    private final String weight;
    private final String lowestWeight;

    CpuWeightFiles(CgroupFiles files, String quota, String weight, String lowestWeight) {
        this.files = files;
        this.quota = quota;
        this.weight = weight;
        this.lowestWeight = lowestWeight;
    }

    /** The lowest weight, and {@code cpu.idle = 1} where it exists. */
    boolean setLowest(Path dir) {
        boolean ok = files.write(dir.resolve(weight), lowestWeight);
        if (files.exists(dir.resolve("cpu.idle"))) {
            ok &= files.write(dir.resolve("cpu.idle"), "1");
        }
        return ok;
    }

    CgroupIo.CpuSettings save(Path dir) {
        return new CgroupIo.CpuSettings(
                files.read(dir.resolve(quota)),
                files.read(dir.resolve(weight)),
                files.exists(dir.resolve("cpu.idle")) ? files.read(dir.resolve("cpu.idle")) : null);
    }

    boolean restore(Path dir, CgroupIo.CpuSettings saved) {
        boolean ok = true;
        // idle first: while cpu.idle is 1 the kernel refuses weight changes (EINVAL)
        if (saved.idle() != null) {
            ok &= files.write(dir.resolve("cpu.idle"), saved.idle());
        }
        if (saved.weight() != null) {
            ok &= files.write(dir.resolve(weight), saved.weight());
        }
        if (saved.quota() != null) {
            ok &= files.write(dir.resolve(quota), saved.quota());
        }
        return ok;
    }
}
