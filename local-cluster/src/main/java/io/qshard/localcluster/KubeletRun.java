package io.qshard.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run directory of one {@link KubeletNodes} set, {@code <java.io.tmpdir>/qshard-kl-<id>}: its owner (this JVM's
 * pid, {@code owner.pid}, and start time, {@code owner.start}, so that a recycled pid is not taken for the owner), the daemons' pids
 * ({@code children.pids}), the run's cgroup name ({@code cgroup}), its bridges ({@code bridges}), the host's sysctl
 * values at start ({@code sysctl-baseline}), which host paths a kubelet or containerd would write existed at start
 * ({@code host-paths-baseline}, for tests) and one directory per node. Everything {@link KubeletTeardown#sweep} needs
 * to remove the run's host state is recorded here before it is created, so a later JVM can clean up after a crash
 * ({@link #reapStale()}). Methods are safe to call from several threads.
 */
public final class KubeletRun {
    /** Prefix of run directories, run cgroups and (with the node index) node names. */
    public static final String PREFIX = "qshard-kl-";

    static final String OWNER = "owner.pid";
    /** The owner's start time, apart from {@link #OWNER}: older versions read that file as a bare pid. */
    static final String OWNER_START = "owner.start";

    static final String CHILDREN = "children.pids";
    static final String CGROUP = "cgroup";
    static final String BRIDGES = "bridges";
    static final String SYSCTLS = "sysctl-baseline";
    static final String HOST_PATHS = "host-paths-baseline";
    private static final Logger LOG = LoggerFactory.getLogger(KubeletRun.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final String id;

    private KubeletRun(Path dir, String id) {
        this.dir = dir;
        this.id = id;
    }

    /** Reaps stale runs, then creates a fresh run directory owned by this JVM. */
    static KubeletRun create() {
        reapStale();
        String id = newId();
        Path dir = base().resolve(PREFIX + id);
        try {
            Files.createDirectory(dir);
            long self = ProcessHandle.current().pid();
            Files.writeString(dir.resolve(OWNER_START), Long.toString(startTicks(self)));
            Files.writeString(dir.resolve(OWNER), Long.toString(self));
            Files.writeString(dir.resolve(CGROUP), PREFIX + id);
        } catch (IOException e) {
            throw new ControlPlaneException(
                    "cannot create the kubelet run directory " + dir + ": " + e.getMessage(), e);
        }
        return new KubeletRun(dir, id);
    }

    static String newId() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return s.toString();
    }

    static Path base() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    Path dir() {
        return dir;
    }

    String id() {
        return id;
    }

    /** Appends one line to a record file of the run (synchronised: nodes start in parallel). */
    synchronized void record(String file, String line) {
        try {
            Files.writeString(
                    dir.resolve(file),
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sweeps every kubelet run (under {@code java.io.tmpdir} and {@code /dev/shm}) whose owner JVM is dead: its
     * daemons, every process in its cgroups (shims and containers that outlived a SIGKILLed JVM), its cgroups,
     * bridges and directory. Never throws.
     *
     * @return how many runs were swept
     */
    public static int reapStale() {
        int reaped = 0;
        for (Path b : List.of(base(), Path.of("/dev/shm"))) {
            if (!Files.isDirectory(b)) {
                continue;
            }
            try (DirectoryStream<Path> runs = Files.newDirectoryStream(b, PREFIX + "*")) {
                for (Path run : runs) {
                    if (Files.isDirectory(run) && !ownerAlive(run)) {
                        LOG.info("sweeping stale kubelet run {}", run);
                        KubeletTeardown.sweep(run);
                        reaped++;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not scan {} for stale kubelet runs: {}", b, e.toString());
            }
        }
        return reaped;
    }

    /**
     * Whether the run's owner JVM still runs: its pid is alive (not a zombie) and, when recorded, has the recorded
     * start time (a different one: the pid was recycled after the owner died, the run is stale).
     */
    static boolean ownerAlive(Path run) {
        try {
            long pid = Long.parseLong(Files.readString(run.resolve(OWNER)).trim());
            long started = startRecorded(run);
            return KubeletTeardown.alive(pid) && (started < 0 || started == startTicks(pid));
        } catch (IOException | NumberFormatException e) {
            try { // no owner file yet: a run being created right now (young), or garbage (old)
                return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - 60_000;
            } catch (IOException ignored) {
                return false;
            }
        }
    }

    /** The recorded start time of the run's owner, -1 if none (a run of an older version). */
    private static long startRecorded(Path run) {
        try {
            return Long.parseLong(Files.readString(run.resolve(OWNER_START)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Start time of {@code pid} in clock ticks after boot ({@code /proc/<pid>/stat} field 22); -1 if unknown. */
    static long startTicks(long pid) {
        try {
            return startTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Field 22 of a {@code /proc/<pid>/stat} line (the command, field 2, may contain spaces and parentheses); -1. */
    static long startTicks(String stat) {
        int close = stat.lastIndexOf(')');
        String[] f =
                close < 0 ? new String[0] : stat.substring(close + 1).trim().split("\\s+");
        try {
            return f.length > 19 ? Long.parseLong(f[19]) : -1; // f[0] is field 3
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
