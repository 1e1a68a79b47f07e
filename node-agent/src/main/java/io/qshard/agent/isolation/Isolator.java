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
 * small moves (under {@link #MIN_CHANGE_MILLI} or 5 %) are not written. On cgroup v1 neither quota goes below the
 * largest quota of a cgroup under its parent, nor below the cpu limit of a burstable pod bound to the node
 * ({@link CgroupIo#quotaFloorMilli}): the kernel would refuse the write, and the cgroups of a pod with a higher limit
 * could not be given their quotas (the kubelet 1.20 then runs the pod without its pod-level quota, and its container
 * waits); a quota held at that floor is written exactly, however small the move. A write that fails is tried again
 * at the next sample. {@link #restore} puts back what the parents had when the agent started, so isolation is
 * reversible. In dry-run nothing is written, only reported. Not thread-safe: the agent's tick thread.
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
     * @param burstableLimitMilli  the largest cpu limit of a burstable pod bound to the node (0: none), a floor of the
     *                             burstable quota on cgroup v1
     * @return the quotas now in force (or that would be, in dry-run)
     */
    public Quotas apply(
            NodeSample sample, long allocatableMilli, long burstableRequestsMilli, long burstableLimitMilli) {
        long high = sample.protectedCpuMilli();
        long mid = sample.of(QosClass.BURSTABLE).milliCpu();
        long b = policy.burstableMilli(allocatableMilli, high, burstableRequestsMilli);
        long bFloor = io.quotaFloorMilli(burstable, burstableLimitMilli);
        String why = "protected usage " + high + "m";
        if (b < bFloor) {
            why += "; " + b + "m raised to the largest cpu limit of its pods (cgroup v1 refuses less)";
            b = bFloor;
        }
        if (due(burstableQuota, b, bFloor) && write(burstable, b, "burstable", why)) {
            burstableQuota = b;
            metrics.burstableQuotaMilli.set(b);
        }
        long e = policy.besteffortMilli(allocatableMilli, high, mid);
        long eFloor = io.quotaFloorMilli(besteffort, 0);
        why = "protected usage " + high + "m, burstable usage " + mid + "m";
        if (e < eFloor) {
            why += "; " + e + "m raised to the largest quota under it (cgroup v1 refuses less)";
            e = eFloor;
        }
        if (due(besteffortQuota, e, eFloor) && write(besteffort, e, "besteffort", why)) {
            besteffortQuota = e;
            metrics.besteffortBoxMilli.set(e);
        }
        return new Quotas(burstableQuota, besteffortQuota);
    }

    /**
     * Raises the burstable quota in force at once to a cpu limit above it (cgroup v1: the limit of a burstable pod
     * bound since the last sample), so that the kubelet can give the pod's cgroups their quotas; the next
     * {@link #apply} keeps it there while the pod is bound. Nothing happens on v2, while no quota was written, or when
     * the quota is high enough already.
     *
     * @return whether a quota was written (in dry-run: would have been)
     */
    public boolean raiseTo(long burstableLimitMilli) {
        long floor = io.quotaFloorMilli(burstable, burstableLimitMilli);
        if (burstableQuota < 0 || burstableQuota >= floor) {
            return false;
        }
        if (!write(
                burstable,
                floor,
                "burstable",
                "raised at once to the cpu limit of a pod bound since the last sample")) {
            return false;
        }
        burstableQuota = floor;
        metrics.burstableQuotaMilli.set(floor);
        return true;
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

    /** @return whether the quota is now in force (in dry-run: would be) */
    private boolean write(String cgroup, long milli, String what, String why) {
        if (dryRun) {
            metrics.quotaChanges.increment();
            LOG.info("dry-run: would set the {} cpu quota to {}m ({})", what, milli, why);
            return true;
        }
        if (!io.setCpuQuotaMilli(cgroup, milli)) {
            return false; // counted and warned by CgroupFiles; tried again at the next sample
        }
        metrics.quotaChanges.increment();
        LOG.info("{} cpu quota {}m ({})", what, milli, why);
        return true;
    }

    /** A quota is written when it moved enough, when the one in force is below the floor, or to settle on the floor. */
    private static boolean due(long before, long now, long floor) {
        return moved(before, now) || before < floor || now == floor && floor > 0 && before != now;
    }

    private static boolean moved(long before, long now) {
        if (before < 0) {
            return true;
        }
        long d = Math.abs(now - before);
        return d >= MIN_CHANGE_MILLI && d >= 0.05 * Math.max(before, 1) || (now == 0) != (before == 0);
    }
}
