package io.qshard.agent.cgroup;

import java.io.IOException;
import java.util.List;

/**
 * What the agent reads from and writes to the pod cgroups, for one cgroup version. Paths are relative, as
 * {@link CgroupLayout} gives them. Reads return -1 when a file is missing or unreadable ({@link CgroupFiles} counts
 * and warns); writes return false. Thread-safe.
 */
public interface CgroupIo {
    /** Quota meaning "no limit". */
    long UNLIMITED = Long.MAX_VALUE;

    /** @return the layout (driver, parent) */
    CgroupLayout layout();

    /** @return the files helper with its error counters */
    CgroupFiles files();

    /** @return the pod cgroups present now */
    List<PodCgroup> pods() throws IOException;

    /** @return cumulative cpu time of the cgroup, nanoseconds, or -1 */
    long cpuUsageNanos(String relative);

    /** @return the working set (usage minus inactive file cache), bytes, or -1 */
    long memoryWorkingSetBytes(String relative);

    /** @return the cgroup's cpu quota in milli-cores, {@link #UNLIMITED}, or -1 when unreadable */
    long cpuQuotaMilli(String relative);

    /**
     * Sets the cgroup's cpu quota (at least the kernel's minimum, 1 ms per period).
     *
     * @param milli milli-cores, or {@link #UNLIMITED}
     */
    boolean setCpuQuotaMilli(String relative, long milli);

    /**
     * The lowest cpu quota the kernel accepts on this cgroup now. cgroup v1 refuses (EINVAL) a quota below that of
     * any cgroup under it, so there it is the largest quota set below (pods and their containers, rounded up to a
     * milli-core) or {@code expectedChildMilli}, whichever is larger; cgroup v2 lets a child ask for more than its
     * parent (the parent's quota binds), so there it is 0.
     *
     * @param expectedChildMilli milli-cores a child is about to be given (the cpu limit of a pod bound to the node
     *                           whose cgroup the kubelet has not created yet), 0 when none
     * @return milli-cores, ≥ 0
     */
    long quotaFloorMilli(String relative, long expectedChildMilli);

    /** Gives the cgroup the lowest cpu weight (v1 {@code cpu.shares=2}, v2 {@code cpu.weight=1}) and idle scheduling where the kernel has it. */
    boolean setLowestCpuWeight(String relative);

    /** @return the cgroup's cpu settings as they are, to {@link #restore} them later */
    CpuSettings save(String relative);

    /** Writes saved settings back. */
    boolean restore(String relative, CpuSettings saved);

    /**
     * The raw texts of a cgroup's cpu controls (null where a file is absent).
     *
     * @param quota  v1 {@code cpu.cfs_quota_us}, v2 {@code cpu.max}
     * @param weight v1 {@code cpu.shares}, v2 {@code cpu.weight}
     * @param idle   {@code cpu.idle}
     */
    record CpuSettings(String quota, String weight, String idle) {}
}
