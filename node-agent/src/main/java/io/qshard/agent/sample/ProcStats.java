package io.qshard.agent.sample;

import io.qshard.agent.cgroup.CgroupFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Node-level counters from {@code /proc} (a root is configurable for tests): cumulative busy and total cpu time from
 * the first line of {@code /proc/stat}, the cpu count from its {@code cpuN} lines, and used memory as
 * {@code MemTotal − MemAvailable} from {@code /proc/meminfo}. Unreadable files count as read errors in the shared
 * {@link CgroupFiles} counter. Thread-safe.
 */
public final class ProcStats {
    private final Path stat;
    private final Path meminfo;
    private final CgroupFiles files;

    /** @param proc the proc root, normally {@code /proc} */
    public ProcStats(Path proc, CgroupFiles files) {
        this.stat = proc.resolve("stat");
        this.meminfo = proc.resolve("meminfo");
        this.files = files;
    }

    /**
     * Cumulative cpu jiffies.
     *
     * @param busy  user + nice + system + irq + softirq + steal
     * @param total busy + idle + iowait
     * @param cpus  online cpus
     */
    public record CpuTimes(long busy, long total, int cpus) {}

    /** @return the cpu counters, or null when {@code /proc/stat} cannot be read */
    public CpuTimes cpu() {
        List<String> lines;
        try {
            lines = Files.readAllLines(stat, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            files.readLong(stat); // counts and warns once
            return null;
        }
        long busy = -1;
        long total = -1;
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long[] v = new long[9];
                for (int i = 1; i < f.length && i <= 8; i++) {
                    v[i] = Long.parseLong(f[i]);
                }
                // user nice system idle iowait irq softirq steal
                busy = v[1] + v[2] + v[3] + v[6] + v[7] + v[8];
                total = busy + v[4] + v[5];
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return busy < 0 ? null : new CpuTimes(busy, total, Math.max(1, cpus));
    }

    /** @return memory in use (MemTotal − MemAvailable), bytes, or -1 */
    public long memoryUsedBytes() {
        long total = files.readKeyed(meminfo, "MemTotal:");
        long available = files.readKeyed(meminfo, "MemAvailable:");
        return total < 0 || available < 0 ? -1 : Math.max(0, total - available) * 1024;
    }
}
