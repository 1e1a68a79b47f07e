package io.qshard.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes everything one kubelet run put on the host, from what its run directory recorded — the same code for
 * {@link KubeletNodes#close()}, the shutdown hook and {@link KubeletRun#reapStale()} after a crash (plan §3.5):
 * the daemons by pid, every other process by the run's cgroups (freeze, SIGKILL, thaw, until none is left), mounts
 * under the run directory, the cgroups (depth-first, retried), the bridges, changed sysctls, and the directory once
 * nothing else is left. Never throws; stateless and safe to call concurrently for different runs.
 */
final class KubeletTeardown {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletTeardown.class);

    private KubeletTeardown() {}

    /** Sweeps the run in {@code runDir} on this host; returns a one-line summary of what it did (also logged). */
    static String sweep(Path runDir) {
        return sweep(runDir, HostCgroups.ROOT, Path.of("/sys/class/net"), Duration.ofSeconds(10));
    }

    /**
     * Sweeps the run in {@code runDir} with the cgroup hierarchies under {@code cgroupRoot} and the network devices
     * under {@code netRoot}, retrying a cgroup that is still busy for {@code cgroupRetry}. Each step runs even when an
     * earlier one failed. The run directory is deleted only when nothing of the run is left (no process in its
     * cgroups, no cgroup, no recorded bridge); otherwise it stays, with a warning naming what is left, so the next
     * {@link KubeletRun#reapStale()} retries.
     */
    static String sweep(Path runDir, Path cgroupRoot, Path netRoot, Duration cgroupRetry) {
        long t0 = System.nanoTime();
        List<String> done = new ArrayList<>();
        step(runDir, "stopping the daemons", () -> done.add(killDaemons(runDir) + " daemon(s) stopped"));
        HostCgroups cgroups = cgroupName(runDir)
                .map(name -> new HostCgroups(cgroupRoot, name))
                .orElse(null);
        if (cgroups != null) {
            step(runDir, "killing by cgroup", () -> done.add(killAll(cgroups) + " process(es) killed by cgroup"));
        }
        step(runDir, "unmounting", () -> unmount(runDir, done));
        if (cgroups != null) {
            step(runDir, "removing the cgroups", () -> {
                List<Path> left = removeCgroups(cgroups, cgroupRetry);
                done.add(left.isEmpty() ? "cgroups removed" : "cgroups NOT removed: " + left);
            });
        }
        List<String> bridges = read(runDir.resolve(KubeletRun.BRIDGES))
                .lines()
                .map(String::trim)
                .filter(b -> !b.isEmpty())
                .toList();
        for (String bridge : bridges) {
            step(runDir, "deleting bridge " + bridge, () -> {
                if (Files.exists(netRoot.resolve(bridge))) {
                    run(List.of(ip(), "link", "del", bridge));
                    done.add("bridge " + bridge + " deleted");
                }
            });
        }
        step(runDir, "restoring sysctls", () -> restoreSysctls(runDir, done));
        List<String> left = leftovers(cgroups, bridges, netRoot);
        if (left.isEmpty()) {
            RunDirectory.deleteTree(runDir);
        } else {
            LOG.warn("kubelet run {} NOT fully removed, keeping its directory for the next start: {}", runDir, left);
            done.add("run directory kept, left: " + String.join("; ", left));
        }
        String summary = "kubelet run " + runDir + " swept in " + (System.nanoTime() - t0) / 1_000_000 + " ms: "
                + String.join(", ", done);
        LOG.info(summary);
        return summary;
    }

    private static void step(Path runDir, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("error while sweeping kubelet run {}: {}", runDir, what, e);
        }
    }

    /** The run's cgroup name (recorded, else the directory's name; both {@code qshard-kl-<id>}); empty if neither. */
    static Optional<String> cgroupName(Path runDir) {
        String recorded = read(runDir.resolve(KubeletRun.CGROUP)).trim();
        for (String name : List.of(recorded, runDir.getFileName().toString())) {
            if (name.matches(Pattern.quote(KubeletRun.PREFIX) + "[0-9a-z]+")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** What of the run is still on the host: processes in its cgroups, its cgroups, its bridges. */
    private static List<String> leftovers(HostCgroups cgroups, List<String> bridges, Path netRoot) {
        List<String> left = new ArrayList<>();
        try {
            if (cgroups != null) {
                Set<Long> pids = cgroups.pids();
                if (!pids.isEmpty()) {
                    left.add("processes " + pids);
                }
                List<Path> dirs = cgroups.directories();
                if (!dirs.isEmpty()) {
                    left.add("cgroups " + dirs);
                }
            }
            for (String bridge : bridges) {
                if (Files.exists(netRoot.resolve(bridge))) {
                    left.add("bridge " + bridge);
                }
            }
        } catch (RuntimeException e) {
            left.add("unknown: " + e);
        }
        return left;
    }

    private static String ip() {
        return Files.isExecutable(KubeletTools.IP) ? KubeletTools.IP.toString() : "ip";
    }

    /** SIGTERM to the recorded daemons (only if their command line still names the run), SIGKILL after 5 s. */
    private static int killDaemons(Path runDir) {
        List<ProcessHandle> ours = new ArrayList<>();
        for (String line : read(runDir.resolve(KubeletRun.CHILDREN)).lines().toList()) {
            long pid;
            try {
                pid = Long.parseLong(line.trim());
            } catch (NumberFormatException e) {
                continue; // blank or torn (the JVM died while appending)
            }
            ProcessHandle.of(pid)
                    .filter(h -> alive(h.pid()) && cmdline(h.pid()).contains(runDir.toString()))
                    .ifPresent(ours::add);
        }
        ours.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ours.stream().anyMatch(h -> alive(h.pid())) && System.nanoTime() < deadline) {
            pause(50);
        }
        ours.stream().filter(h -> alive(h.pid())).forEach(ProcessHandle::destroyForcibly);
        return ours.size();
    }

    /** Freeze, SIGKILL every pid in the run's cgroups, thaw; until none is left (≤ 50 rounds). */
    private static int killAll(HostCgroups cgroups) {
        int killed = 0;
        for (int round = 0; round < 50; round++) {
            boolean frozen = cgroups.freeze(true);
            Set<Long> pids = cgroups.pids();
            for (long pid : pids) {
                if (pid != ProcessHandle.current().pid()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            if (frozen) {
                cgroups.freeze(false);
            }
            if (pids.isEmpty()) {
                return killed;
            }
            killed += pids.size();
            pause(100);
        }
        LOG.warn("processes still in {} after 50 rounds: {}", cgroups.name(), cgroups.pids());
        return killed;
    }

    private static List<Path> removeCgroups(HostCgroups cgroups, Duration retry) {
        long deadline = System.nanoTime() + retry.toNanos();
        List<Path> left = cgroups.removeOnce();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            pause(100);
            cgroups.pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            left = cgroups.removeOnce();
        }
        return left;
    }

    /** Mount points under the run directory in this namespace (none in namespace mode): lazily unmounted. */
    private static void unmount(Path runDir, List<String> done) {
        List<String> points = new ArrayList<>();
        for (String line : read(Path.of("/proc/self/mountinfo")).lines().toList()) {
            String[] f = line.split(" ");
            if (f.length > 4 && (f[4].equals(runDir.toString()) || f[4].startsWith(runDir + "/"))) {
                points.add(f[4]);
            }
        }
        points.sort((a, b) -> b.length() - a.length());
        for (String p : points) {
            run(List.of("umount", "-l", p));
        }
        if (!points.isEmpty()) {
            LOG.warn(
                    "unmounted {} mount(s) under {} (expected none with private mount namespaces)",
                    points.size(),
                    runDir);
            done.add(points.size() + " mount(s) removed");
        }
    }

    private static void restoreSysctls(Path runDir, List<String> done) {
        Map<String, String> baseline = new LinkedHashMap<>();
        for (String line : read(runDir.resolve(KubeletRun.SYSCTLS)).lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                baseline.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (Map.Entry<String, String> e : baseline.entrySet()) {
            Path f = Path.of("/proc/sys", e.getKey());
            String now = read(f).trim();
            if (!now.equals(e.getValue())) {
                LOG.warn(
                        "sysctl {} changed from {} to {} during the kubelet run; restoring it",
                        e.getKey(),
                        e.getValue(),
                        now);
                try {
                    Files.writeString(f, e.getValue());
                    done.add("sysctl " + e.getKey() + " restored");
                } catch (IOException ex) {
                    LOG.warn("cannot restore {}: {}", f, ex.toString());
                }
            }
        }
    }

    /** The current values of the sysctls a kubelet might change, as {@code name=value} lines. */
    static String sysctlBaseline() {
        StringBuilder s = new StringBuilder();
        for (String name : NodeRuntimeConfig.MASKED_SYSCTLS) {
            s.append(name)
                    .append('=')
                    .append(read(Path.of("/proc/sys", name)).trim())
                    .append('\n');
        }
        return s.toString();
    }

    /** Alive and not a zombie (PID 1 on some machines never reaps orphans). */
    static boolean alive(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
    }

    static String cmdline(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                LOG.warn("{} failed: {}", String.join(" ", command), out.trim());
            }
        } catch (IOException e) {
            LOG.warn("cannot run {}: {}", command, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling the kernel for processes to exit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
