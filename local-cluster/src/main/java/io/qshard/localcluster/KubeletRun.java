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
 * pid), the daemons' pids ({@code children.pids}), the run's cgroup name ({@code cgroup}), its bridges
 * ({@code bridges}), the host's sysctl values at start ({@code sysctl-baseline}) and one directory per node. Everything
 * {@link KubeletTeardown#sweep} needs to remove the run's host state is recorded here before it is created, so a later
 * JVM can clean up after a crash ({@link #reapStale()}). Methods are safe to call from several threads.
 */
public final class KubeletRun {
    /** Prefix of run directories, run cgroups and (with the node index) node names. */
    public static final String PREFIX = "qshard-kl-";

    static final String OWNER = "owner.pid";
    static final String CHILDREN = "children.pids";
    static final String CGROUP = "cgroup";
    static final String BRIDGES = "bridges";
    static final String SYSCTLS = "sysctl-baseline";
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
            Files.writeString(
                    dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
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

    static boolean ownerAlive(Path run) {
        try {
            long owner = Long.parseLong(Files.readString(run.resolve(OWNER)).trim());
            return KubeletTeardown.alive(owner);
        } catch (IOException | NumberFormatException e) {
            try { // no owner file yet: a run being created right now (young), or garbage (old)
                return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - 60_000;
            } catch (IOException ignored) {
                return false;
            }
        }
    }
}
