package io.qshard.agent.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the cgroup version of a root: v1 when a {@code cpu} controller hierarchy is mounted there, else v2. */
public final class CgroupVersions {
    private CgroupVersions() {}

    /**
     * @param root    the cgroup mount root
     * @param version "1", "2" or "auto"
     * @throws IllegalArgumentException when the root does not look like either
     */
    public static CgroupIo open(Path root, String version, CgroupLayout layout, CgroupFiles files) {
        boolean v1 = Files.isDirectory(root.resolve("cpu")) && Files.isDirectory(root.resolve("cpuacct"));
        boolean v2 = Files.exists(root.resolve("cgroup.controllers"));
        return switch (version) {
            case "1" -> new CgroupV1Io(root, layout, files);
            case "2" -> new CgroupV2Io(root, layout, files);
            case "auto" -> {
                if (v1) {
                    yield new CgroupV1Io(root, layout, files);
                }
                if (v2) {
                    yield new CgroupV2Io(root, layout, files);
                }
                throw new IllegalArgumentException("--cgroup-root " + root + " holds neither cgroup v1 controllers "
                        + "(cpu/, cpuacct/) nor a cgroup v2 hierarchy (cgroup.controllers)");
            }
            default ->
                throw new IllegalArgumentException("--cgroup-version must be 1, 2 or auto, was '" + version + "'");
        };
    }
}
