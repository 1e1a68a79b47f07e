package io.qshard.agent.cgroup;

import java.nio.file.Path;

/**
 * The cpu control files both cgroup versions save, restore and lower the same way, under their own names: v1
 * {@code cpu.cfs_quota_us} / {@code cpu.shares} (lowest 2), v2 {@code cpu.max} / {@code cpu.weight} (lowest 1), and
 * {@code cpu.idle} (saved and restored, never set) where the kernel has it. Thread-safe (stateless over {@link CgroupFiles}).
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

    /**
     * The lowest weight, with {@code cpu.idle} cleared where it exists. Not idle scheduling: while {@code cpu.idle} is
     * 1 the kernel refuses weight writes (EINVAL), and the kubelet writes the besteffort parent's weight on every new
     * pod and every minute; its QoS update stops at that error and leaves the burstable parent's shares stale (seen
     * on a real kubelet 1.20, {@code NodeAgentOnKubeletIT}). The weight alone is what the kubelet writes anyway.
     */
    boolean setLowest(Path dir) {
        boolean ok = true;
        Path idle = dir.resolve("cpu.idle");
        if (files.exists(idle) && !"0".equals(files.read(idle))) {
            ok = files.write(idle, "0");
        }
        return ok & files.write(dir.resolve(weight), lowestWeight);
    }

    CgroupIo.CpuSettings save(Path dir) {
        return new CgroupIo.CpuSettings(
                files.read(dir.resolve(quota)),
                files.read(dir.resolve(weight)),
                files.exists(dir.resolve("cpu.idle")) ? files.read(dir.resolve("cpu.idle")) : null);
    }

    boolean restore(Path dir, CgroupIo.CpuSettings saved) {
        boolean ok = true;
        // idle first: while cpu.idle is 1 the kernel refuses weight changes (EINVAL); always back to 0, never to a 1
        // an older agent killed before its restore left behind (it would break the kubelet's weight writes again)
        if (saved.idle() != null) {
            ok &= files.write(dir.resolve("cpu.idle"), "0");
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
