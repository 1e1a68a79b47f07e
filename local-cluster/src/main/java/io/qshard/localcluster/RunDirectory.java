package io.qshard.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private temp directory of one control-plane run: etcd data, certificates, logs, the kubeconfig.
 * It records its owner (this JVM's pid) and every child pid, so a later run can find and clean up what
 * a killed JVM left behind ({@link #reapStale(Path)}).
 *
 * <p>Runs live under {@code /dev/shm} when it is writable (etcd fsyncs become memory writes), else under
 * {@code java.io.tmpdir}. Not thread-safe; owned by one {@link LocalControlPlane}.
 */
final class RunDirectory {
    static final String PREFIX = "qshard-cp-";
    private static final String OWNER_FILE = "owner.pid";
    private static final String PIDS_FILE = "children.pids";
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** Creates a fresh run directory owned by this JVM, after reaping stale runs in the same base. */
    static RunDirectory create() {
        Path base = defaultBase();
        reapStale(base);
        try {
            Path dir = Files.createTempDirectory(base, PREFIX);
            Files.writeString(
                    dir.resolve(OWNER_FILE),
                    Long.toString(ProcessHandle.current().pid()));
            return new RunDirectory(dir);
        } catch (IOException e) {
            throw new ControlPlaneException("cannot create a run directory under " + base + ": " + e.getMessage(), e);
        }
    }

    static Path defaultBase() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    Path path() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Records a child pid so that a later run can kill it if this JVM dies without cleaning up. */
    void recordChild(long pid) {
        try {
            Files.writeString(
                    dir.resolve(PIDS_FILE),
                    pid + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the directory tree; failures are logged, never thrown (called on shutdown paths). */
    void delete() {
        deleteTree(dir);
    }

    /**
     * Cleans up runs whose owner JVM is gone: kills their recorded children (only processes whose command
     * line still names that run directory, so a recycled pid is never hit) and deletes the directory.
     *
     * @return how many stale runs were removed
     */
    static int reapStale(Path base) {
        int reaped = 0;
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path run : runs) {
                if (ownerAlive(run)) {
                    continue;
                }
                killChildren(run);
                deleteTree(run);
                reaped++;
                LOG.info("removed stale control-plane run {}", run);
            }
        } catch (IOException e) {
            LOG.warn("could not scan {} for stale control-plane runs: {}", base, e.toString());
        }
        return reaped;
    }

    private static boolean ownerAlive(Path run) {
        try {
            long owner =
                    Long.parseLong(Files.readString(run.resolve(OWNER_FILE)).trim());
            return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            // No owner file yet: a run being created right now, or garbage. Leave young dirs alone.
            try {
                return Files.getLastModifiedTime(run).toMillis() > System.currentTimeMillis() - 60_000;
            } catch (IOException ignored) {
                return false;
            }
        }
    }

    private static void killChildren(Path run) {
        Path pids = run.resolve(PIDS_FILE);
        if (!Files.exists(pids)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(pids)) {
                if (line.isBlank()) {
                    continue;
                }
                long pid = Long.parseLong(line.trim());
                ProcessHandle.of(pid)
                        .filter(h -> h.info()
                                .arguments()
                                .map(a -> String.join(" ", a).contains(run.toString()))
                                .orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("could not read {}: {}", pids, e.toString());
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> failed = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    failed.add(p);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
        if (!failed.isEmpty()) {
            LOG.warn("could not delete {} path(s) under {}", failed.size(), root);
        }
    }
}
