package io.qshard.agent.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes cgroup control files. A file that is missing, unreadable, unwritable or malformed is a warning
 * (logged once per path, so a vanished pod does not flood the log) and a count in {@link #readErrors} /
 * {@link #writeErrors} — never an exception. Thread-safe.
 */
public final class CgroupFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupFiles.class);

    /** Control files that could not be read or parsed. */
    public final LongAdder readErrors = new LongAdder();
    /** Control files that could not be written. */
    public final LongAdder writeErrors = new LongAdder();

    private final Set<Path> warned = ConcurrentHashMap.newKeySet();

    /** @return the file's first line trimmed, or null (counted, warned) */
    public String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).trim();
        } catch (IOException | SecurityException e) {
            readProblem(file, e instanceof NoSuchFileException ? "missing" : e.toString());
            return null;
        }
    }

    /** @return the file's value as a long, or -1 (counted, warned) */
    public long readLong(Path file) {
        String s = read(file);
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            readProblem(file, "not a number: '" + s + "'");
            return -1;
        }
    }

    /**
     * @return the value of {@code key} in a flat-keyed file ({@code memory.stat}, {@code cpu.stat}, {@code /proc/meminfo}:
     *         the first number after the key, units such as {@code kB} ignored), or -1
     */
    public long readKeyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int sp = line.indexOf(' ');
                if (sp > 0 && line.regionMatches(0, key, 0, key.length()) && sp == key.length()) {
                    return Long.parseLong(line.substring(sp + 1).trim().split("\\s+")[0]);
                }
            }
            readProblem(file, "no '" + key + "' line");
        } catch (IOException | SecurityException e) {
            readProblem(file, e instanceof NoSuchFileException ? "missing" : e.toString());
        } catch (NumberFormatException e) {
            readProblem(file, "'" + key + "' is not a number");
        }
        return -1;
    }

    /** @return whether the file exists (optional control files such as {@code cpu.idle}) */
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    /** Writes {@code value}; @return whether it was written (failures counted, warned) */
    public boolean write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | SecurityException e) {
            writeErrors.increment();
            if (warned.add(file)) {
                LOG.warn(
                        "cannot write {} to {}: {} (further failures on this file are only counted)",
                        value,
                        file,
                        e.toString());
            }
            return false;
        }
    }

    private void readProblem(Path file, String what) {
        readErrors.increment();
        if (warned.add(file)) {
            LOG.warn("cannot read {}: {} (further failures on this file are only counted)", file, what);
        }
    }
}
