package io.qshard.localcluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One run's cgroup, {@code <root>/<hierarchy>/qshard-kl-<id>}, in every mounted hierarchy under {@code root}
 * ({@code /sys/fs/cgroup}; cgroup v1 and the hybrid {@code unified} one). Not thread-safe; callers serialise.
 */
final class HostCgroups {
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Path root;
    private final String name;

    HostCgroups(Path root, String name) {
        this.root = root;
        this.name = name;
    }

    /** The hierarchies under the root (every directory: one mount each). */
    List<Path> hierarchies() {
        List<Path> hs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                    hs.add(p);
                }
            }
        } catch (IOException e) {
            throw new ControlPlaneException("cannot list cgroup hierarchies under " + root + ": " + e.getMessage(), e);
        }
        hs.sort(Comparator.naturalOrder());
        return hs;
    }

    /**
     * Creates the run's cgroup and {@code children} (relative names, e.g. {@code n1}, {@code sys-n1}) in every
     * hierarchy. In {@code cpuset}, each new directory gets its parent's {@code cpuset.cpus} and {@code cpuset.mems}
     * before anything is created below it (else the kubelet finds its cgroup root unusable).
     */
    void create(List<String> children) {
        for (Path h : hierarchies()) {
            Path top = h.resolve(name);
            mkdir(top, h);
            for (String child : children) {
                mkdir(top.resolve(child), top);
            }
        }
    }

    private static void mkdir(Path dir, Path parent) {
        try {
            Files.createDirectories(dir);
            for (String f : List.of("cpuset.cpus", "cpuset.mems")) {
                Path mine = dir.resolve(f);
                Path theirs = parent.resolve(f);
                if (Files.exists(theirs)
                        && (!Files.exists(mine) || Files.readString(mine).isBlank())) {
                    Files.writeString(mine, Files.readString(theirs).trim());
                }
            }
        } catch (IOException e) {
            throw new ControlPlaneException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every directory of the run's cgroup in every hierarchy, deepest first. */
    List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        for (Path h : hierarchies()) {
            Path top = h.resolve(name);
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(top)) {
                walk.filter(Files::isDirectory).forEach(dirs::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                // a directory vanished while walking (the kubelet removed a pod): the next round sees the rest
            }
        }
        dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
        return dirs;
    }

    /** The pids listed in any {@code cgroup.procs} of the run (zombies are not listed: they hold no cgroup). */
    Set<Long> pids() {
        Set<Long> pids = new TreeSet<>();
        for (Path dir : directories()) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // removed meanwhile, or no cgroup.procs (fake hierarchies in tests)
            }
        }
        return pids;
    }

    /** Writes {@code FROZEN}/{@code THAWED} to the run's freezer cgroup; false if there is none. */
    boolean freeze(boolean frozen) {
        Path state = root.resolve("freezer").resolve(name).resolve("freezer.state");
        if (!Files.exists(state)) {
            return false;
        }
        try {
            Files.writeString(state, frozen ? "FROZEN" : "THAWED");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code rmdir} of every directory, deepest first; returns those that could not be removed. */
    List<Path> removeOnce() {
        List<Path> left = new ArrayList<>();
        for (Path dir : directories()) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                left.add(dir);
            }
        }
        return left;
    }

    String name() {
        return name;
    }
}
