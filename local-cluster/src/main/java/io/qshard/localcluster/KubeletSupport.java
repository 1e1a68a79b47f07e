package io.qshard.localcluster;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this machine can run kubelet nodes at all — independent of whether the binaries are installed (a missing
 * binary is an install problem, {@link KubeletTools#locate()} fails for it). Thread-safe, stateless.
 */
public final class KubeletSupport {
    /** Bit of {@code CAP_SYS_ADMIN} in the capability masks of {@code /proc/<pid>/status}. */
    static final int CAP_SYS_ADMIN = 21;
    /** The cgroup v1 hierarchies a kubelet 1.20 with the cgroupfs driver needs. */
    static final List<String> REQUIRED_HIERARCHIES = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer");

    private KubeletSupport() {}

    /**
     * Why this machine cannot run a kubelet node, or empty when it can: it needs root with {@code CAP_SYS_ADMIN} in
     * its effective set (mount namespaces and mounts; an unprivileged container's root lacks it), writable cgroup v1
     * hierarchies (cpu, cpuacct, cpuset, memory, pids, freezer under {@code /sys/fs/cgroup}) and overlayfs. Tests that
     * need kubelet nodes skip with this reason; missing binaries (also {@code unshare}, {@code nsenter}, {@code ip})
     * are not a reason to skip: {@link KubeletTools#locate()} fails for them with the install hint.
     */
    public static Optional<String> unavailable() {
        try {
            return unavailable(
                    Files.readString(Path.of("/proc/self/status")),
                    Files.readString(Path.of("/proc/filesystems")),
                    Path.of("/sys/fs/cgroup"));
        } catch (IOException e) {
            return Optional.of("cannot read /proc: " + e.getMessage());
        }
    }

    static Optional<String> unavailable(String procStatus, String procFilesystems, Path cgroupRoot) {
        if (uid(procStatus) != 0) {
            return Optional.of("kubelet nodes need root (uid " + uid(procStatus) + ")");
        }
        if (!hasSysAdmin(procStatus)) {
            return Optional.of("root without CAP_SYS_ADMIN in its effective capability set (CapEff "
                    + field(procStatus, "CapEff:").orElse("absent")
                    + "; an unprivileged container?): kubelet nodes need mount namespaces and mounts");
        }
        for (String h : REQUIRED_HIERARCHIES) {
            Path dir = cgroupRoot.resolve(h);
            if (!Files.isRegularFile(dir.resolve("cgroup.procs")) || !Files.isWritable(dir)) {
                return Optional.of("no writable cgroup v1 hierarchy " + dir
                        + " (kubelet 1.20 nodes need cgroup v1; pure cgroup v2 is not supported)");
            }
        }
        if (procFilesystems.lines().noneMatch(l -> l.trim().endsWith("overlay"))) {
            return Optional.of("no overlayfs in /proc/filesystems (containerd's snapshotter needs it)");
        }
        return Optional.empty();
    }

    /** The effective uid from {@code /proc/self/status} ("Uid: real effective saved fs"), -1 if absent. */
    static long uid(String procStatus) {
        return procStatus
                .lines()
                .filter(l -> l.startsWith("Uid:"))
                .map(l -> l.substring(4).trim().split("\\s+"))
                .filter(f -> f.length >= 2)
                .map(f -> Long.parseLong(f[1]))
                .findFirst()
                .orElse(-1L);
    }

    /** Whether {@code CapEff} (hex) of {@code /proc/self/status} has {@link #CAP_SYS_ADMIN}; false if absent. */
    static boolean hasSysAdmin(String procStatus) {
        try {
            return field(procStatus, "CapEff:")
                    .map(hex -> new BigInteger(hex, 16).testBit(CAP_SYS_ADMIN))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<String> field(String procStatus, String name) {
        return procStatus
                .lines()
                .filter(l -> l.startsWith(name))
                .map(l -> l.substring(name.length()).trim())
                .findFirst();
    }
}
