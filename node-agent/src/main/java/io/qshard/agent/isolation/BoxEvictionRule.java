package io.qshard.agent.isolation;

import io.qshard.agent.cgroup.QosClass;
import io.qshard.agent.kube.LocalPod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The seeds' rule: when the besteffort box stays below one core ({@code threshold}) for {@code grace}, every pod in
 * it is evicted, lowest priority first (free before batch) — a box that small cannot run them, and their controllers
 * re-create them where the schedulers find room. After it fires the rule re-arms: pods that arrive later get a whole
 * grace period of their own. Pods already terminating are never asked again. Not thread-safe: the agent's tick thread.
 */
public final class BoxEvictionRule {
    private final long thresholdMilli;
    private final Duration grace;
    private Instant belowSince;

    /**
     * @param thresholdMilli the box is "too small" below this, milli-cores (the seeds: 1000)
     * @param grace          how long it must stay too small
     */
    public BoxEvictionRule(long thresholdMilli, Duration grace) {
        if (thresholdMilli < 0 || grace.isNegative()) {
            throw new IllegalArgumentException("threshold and grace must be >= 0");
        }
        this.thresholdMilli = thresholdMilli;
        this.grace = grace;
    }

    /**
     * @param boxMilli the besteffort box now
     * @param now      the agent's clock
     * @param pods     the node's pods
     * @return the pods to evict now, lowest priority first; empty while the box is large enough or within the grace
     */
    public List<LocalPod> check(long boxMilli, Instant now, List<LocalPod> pods) {
        if (boxMilli >= thresholdMilli) {
            belowSince = null;
            return List.of();
        }
        if (belowSince == null) {
            belowSince = now;
        }
        if (Duration.between(belowSince, now).compareTo(grace) < 0) {
            return List.of();
        }
        List<LocalPod> victims = pods.stream()
                .filter(p -> p.qos() == QosClass.BESTEFFORT && !p.terminating())
                .sorted(Comparator.comparingInt(LocalPod::priority).thenComparing(LocalPod::key))
                .toList();
        if (!victims.isEmpty()) {
            belowSince = null; // re-arm
        }
        return victims;
    }

    /** @return since when the box has been too small, or null */
    public Instant belowSince() {
        return belowSince;
    }
}
