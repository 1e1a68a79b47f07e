package io.qshard.agent.isolation;

import io.qshard.agent.cgroup.CgroupIo;
import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.metrics.AgentMetrics;
import io.qshard.agent.sample.NodeSample;
import io.qshard.core.isolation.IsolationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the node agent's cpu isolation to the class parents of the kubepods hierarchy every sample
 * ({@link IsolationPolicy}): the burstable parent's quota falls as what the node must protect (Guaranteed pods and
 * everything outside kubepods) rises, never below the burstable pods' requests; the besteffort parent's quota is the
 * box left under peakCap, with the lowest cpu weight and idle scheduling. Every change is logged and counted;
 * small moves (under {@link #MIN_CHANGE_MILLI} or 5 %) are not written. {@link #restore} puts back what the
 * parents had when the agent started, so isolation is reversible. In dry-run nothing is written, only reported.
 * Not thread-safe: the agent's tick thread.
 */
public final class Isolator {
    private static final Logger LOG = LoggerFactory.getLogger(Isolator.class);
    /** Quota moves smaller than this are not written: 20 milli-cores. */
    public static final long MIN_CHANGE_MILLI = 20;

    private final CgroupIo io;
    private final IsolationPolicy policy;
    private final AgentMetrics metrics;
    private final boolean dryRun;
    private final String burstable;
    private final String besteffort;
    private final CgroupIo.CpuSettings burstableSaved;
    private final CgroupIo.CpuSettings besteffortSaved;
    private long burstableQuota = -1;
    private long besteffortQuota = -1;

    /** What the last {@link #apply} decided, milli-cores. */
    public record Quotas(long burstable, long besteffort) {}

    public Isolator(CgroupIo io, IsolationPolicy policy, AgentMetrics metrics, boolean dryRun) {
        this.io = io;
        this.policy = policy;
        this.metrics = metrics;
        this.dryRun = dryRun;
        this.burstable = io.layout().classParent(QosClass.BURSTABLE);
        this.besteffort = io.layout().classParent(QosClass.BESTEFFORT);
        this.burstableSaved = io.save(burstable);
        this.besteffortSaved = io.save(besteffort);
        if (!dryRun && !io.setLowestCpuWeight(besteffort)) {
            LOG.warn("cannot give {} the lowest cpu weight", besteffort);
        }
    }

    /**
     * @param sample               the latest usage
     * @param allocatableMilli     the node's real allocatable cpu
     * @param burstableRequestsMilli Σ cpu requests of the node's burstable pods
     * @return the quotas now in force (or that would be, in dry-run)
     */
    public Quotas apply(NodeSample sample, long allocatableMilli, long burstableRequestsMilli) {
        long high = sample.protectedCpuMilli();
        long mid = sample.of(QosClass.BURSTABLE).milliCpu();
        long b = policy.burstableMilli(allocatableMilli, high, burstableRequestsMilli);
        long e = policy.besteffortMilli(allocatableMilli, high, mid);
        if (moved(burstableQuota, b)) {
            write(burstable, b, "burstable", "protected usage " + high + "m");
            burstableQuota = b;
            metrics.burstableQuotaMilli.set(b);
        }
        if (moved(besteffortQuota, e)) {
            write(besteffort, e, "besteffort", "protected usage " + high + "m, burstable usage " + mid + "m");
            besteffortQuota = e;
            metrics.besteffortBoxMilli.set(e);
        }
        return new Quotas(burstableQuota, besteffortQuota);
    }

    /** Puts the parents' cpu settings back as they were when the agent started (isolation lifted). */
    public void restore() {
        if (dryRun) {
            return;
        }
        boolean ok = io.restore(burstable, burstableSaved) & io.restore(besteffort, besteffortSaved);
        LOG.info(
                "isolation lifted: {} and {} restored{}", burstable, besteffort, ok ? "" : " (with errors, see above)");
        metrics.burstableQuotaMilli.set(-1);
        metrics.besteffortBoxMilli.set(-1);
    }

    private void write(String cgroup, long milli, String what, String why) {
        metrics.quotaChanges.increment();
        if (dryRun) {
            LOG.info("dry-run: would set the {} cpu quota to {}m ({})", what, milli, why);
            return;
        }
        if (io.setCpuQuotaMilli(cgroup, milli)) {
            LOG.info("{} cpu quota {}m ({})", what, milli, why);
        }
    }

    private static boolean moved(long before, long now) {
        if (before < 0) {
            return true;
        }
        long d = Math.abs(now - before);
        return d >= MIN_CHANGE_MILLI && d >= 0.05 * Math.max(before, 1) || (now == 0) != (before == 0);
    }
}
