package io.qshard.agent.sample;

import io.qshard.agent.cgroup.CgroupIo;
import io.qshard.agent.cgroup.PodCgroup;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.core.usage.Usage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns cumulative counters into usage over a window: each call reads every pod cgroup's cpu time and working set,
 * the three class parents and the node, and returns the rates since the previous call. A pod seen for the first time
 * has no rate yet (it is reported from its second sample on); a counter that went backwards (cgroup re-created)
 * restarts the same way. Not thread-safe: called from the agent's tick thread.
 */
public final class UsageSampler {
    private static final Logger LOG = LoggerFactory.getLogger(UsageSampler.class);

    /** Where whole-node usage comes from. */
    public enum NodeSource {
        /** {@code /proc/stat} and {@code /proc/meminfo}: everything on the node (a real node). */
        PROC,
        /** the kubepods cgroup: pods only (tests on a private subtree of a shared machine) */
        KUBEPODS
    }

    private final CgroupIo io;
    private final ProcStats proc;
    private final NodeSource source;
    private final Clock clock;
    private Instant lastAt;
    private final Map<String, Long> lastCpu = new HashMap<>();
    private ProcStats.CpuTimes lastProc;

    public UsageSampler(CgroupIo io, ProcStats proc, NodeSource source, Clock clock) {
        this.io = io;
        this.proc = proc;
        this.source = source;
        this.clock = clock;
    }

    /** @return usage since the previous call, or null on the first call (no window yet) */
    public NodeSample sample() {
        Instant now = clock.instant();
        List<PodCgroup> pods;
        try {
            pods = io.pods();
        } catch (IOException e) {
            LOG.warn("cannot list pod cgroups: {}", e.toString());
            pods = List.of();
        }
        Map<String, Long> cpuNow = new HashMap<>();
        Map<String, Usage> podUsage = new HashMap<>();
        Duration window = lastAt == null ? Duration.ZERO : Duration.between(lastAt, now);
        for (PodCgroup p : pods) {
            long ns = io.cpuUsageNanos(p.relative());
            if (ns >= 0) {
                cpuNow.put(p.relative(), ns);
            }
            long milli = rate(p.relative(), ns, window);
            long memory = io.memoryWorkingSetBytes(p.relative());
            if (milli >= 0 && memory >= 0) {
                podUsage.put(p.uid(), new Usage(milli, memory));
            }
        }
        String kubepods = io.layout().kubepods();
        Map<QosClass, Usage> classes = new EnumMap<>(QosClass.class);
        Usage all = classUsage(kubepods, window, cpuNow);
        Usage burstable = classUsage(io.layout().classParent(QosClass.BURSTABLE), window, cpuNow);
        Usage besteffort = classUsage(io.layout().classParent(QosClass.BESTEFFORT), window, cpuNow);
        classes.put(QosClass.BURSTABLE, burstable);
        classes.put(QosClass.BESTEFFORT, besteffort);
        classes.put(QosClass.GUARANTEED, all.minusFloored(burstable).minusFloored(besteffort));
        Usage node = source == NodeSource.KUBEPODS ? all : procUsage(window, all);
        lastCpu.clear();
        lastCpu.putAll(cpuNow);
        boolean first = lastAt == null;
        lastAt = now;
        return first || window.isZero() ? null : new NodeSample(now, window, node, classes, podUsage);
    }

    private Usage classUsage(String relative, Duration window, Map<String, Long> cpuNow) {
        long ns = io.cpuUsageNanos(relative);
        if (ns >= 0) {
            cpuNow.put(relative, ns);
        }
        long milli = Math.max(0, rate(relative, ns, window));
        long memory = Math.max(0, io.memoryWorkingSetBytes(relative));
        return new Usage(milli, memory);
    }

    /** milli-cores from a cumulative ns counter, or -1 without a usable previous reading */
    private long rate(String key, long ns, Duration window) {
        Long before = lastCpu.get(key);
        if (ns < 0 || before == null || ns < before || window.isZero()) {
            return -1;
        }
        return (ns - before) * 1000 / window.toNanos();
    }

    private Usage procUsage(Duration window, Usage fallback) {
        ProcStats.CpuTimes now = proc.cpu();
        ProcStats.CpuTimes before = lastProc;
        lastProc = now;
        long memory = proc.memoryUsedBytes();
        if (now == null || before == null || now.total() <= before.total()) {
            return new Usage(fallback.milliCpu(), memory >= 0 ? memory : fallback.memoryBytes());
        }
        long milli = (now.busy() - before.busy()) * 1000L * now.cpus() / (now.total() - before.total());
        return new Usage(Math.max(0, milli), memory >= 0 ? memory : fallback.memoryBytes());
    }
}
