package io.qshard.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A private subtree in this machine's real cgroup v1 hierarchies ({@code cpu}, {@code cpuacct}, {@code memory} under
 * {@code /sys/fs/cgroup}), with busy-loop processes moved into its cgroups. {@link #close} kills every process it
 * started and removes every cgroup it created, deepest first.
 */
final class RealCgroups implements AutoCloseable {
    static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory");

    final String parent;
    private final List<String> created = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    RealCgroups(String parent) {
        this.parent = parent;
    }

    /** Whether this machine has writable cgroup v1 cpu, cpuacct and memory hierarchies (root on a v1 host). */
    static boolean available() {
        return CONTROLLERS.stream()
                .allMatch(c -> Files.isWritable(ROOT.resolve(c))
                        && Files.exists(ROOT.resolve(c).resolve("tasks")));
    }

    /** Creates {@code relative} (and its parents) in every controller. */
    void create(String relative) {
        StringBuilder path = new StringBuilder();
        for (String part : relative.split("/")) {
            path.append(path.length() == 0 ? "" : "/").append(part);
            String p = path.toString();
            if (!created.contains(p)) {
                for (String c : CONTROLLERS) {
                    try {
                        Files.createDirectories(ROOT.resolve(c).resolve(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                created.add(p);
            }
        }
    }

    /** Starts a process spinning on one core in cgroup {@code relative} (of every controller). */
    void spin(String relative) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        processes.add(p);
        for (String c : CONTROLLERS) {
            Files.writeString(ROOT.resolve(c).resolve(relative).resolve("cgroup.procs"), Long.toString(p.pid()));
        }
    }

    /** Sets a cgroup's own cpu quota, milli-cores (how the test makes a pod's load rise and fall). */
    void quota(String relative, long milli) throws IOException {
        Files.writeString(
                ROOT.resolve("cpu").resolve(relative).resolve("cpu.cfs_quota_us"), Long.toString(milli * 100));
    }

    /** @return the cpu quota the cgroup has now, milli-cores (-1: none) */
    long quotaMilli(String relative) throws IOException {
        long q = Long.parseLong(
                Files.readString(ROOT.resolve("cpu").resolve(relative).resolve("cpu.cfs_quota_us"))
                        .trim());
        long period = Long.parseLong(
                Files.readString(ROOT.resolve("cpu").resolve(relative).resolve("cpu.cfs_period_us"))
                        .trim());
        return q < 0 ? -1 : q * 1000 / period;
    }

    /** @return a cpu controller file's content, trimmed */
    String cpuFile(String relative, String file) throws IOException {
        return Files.readString(ROOT.resolve("cpu").resolve(relative).resolve(file))
                .trim();
    }

    /** @return cumulative cpu time of the cgroup, from the kernel's own accounting, ns */
    long cpuNanos(String relative) throws IOException {
        return Long.parseLong(
                Files.readString(ROOT.resolve("cpuacct").resolve(relative).resolve("cpuacct.usage"))
                        .trim());
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> deepestFirst = new ArrayList<>(created);
        deepestFirst.sort(
                Comparator.comparingInt((String s) -> s.split("/").length).reversed());
        for (String p : deepestFirst) {
            for (String c : CONTROLLERS) {
                try {
                    Files.deleteIfExists(ROOT.resolve(c).resolve(p));
                } catch (IOException e) {
                    System.err.println("cannot remove cgroup " + c + "/" + p + ": " + e);
                }
            }
        }
    }
}
