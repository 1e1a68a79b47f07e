package io.qshard.core.preemption;

import io.qshard.core.model.PodRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * kube-scheduler 1.20's {@code MoreImportantPod} as a comparator: higher priority first, then the earlier start time.
 * The start time is {@code status.startTime}, which the caller supplies ({@link StartTimes}); 1.20 reads an unset one
 * as "now" at each comparison. Thread-safe when its {@link StartTimes} is.
 */
public final class VictimOrder implements Comparator<PodRequest> {
    /** Where a pod's start time comes from. */
    @FunctionalInterface
    public interface StartTimes {
        /** {@code status.startTime} of {@code pod}, never null (the caller's "now" when unset, as 1.20). */
        Instant of(PodRequest pod);
    }

    private final StartTimes startTimes;

    /**
     * The order by each pod's {@link PodRequest#startTime}, an unstarted pod counting as started {@code now} (1.20's
     * {@code GetPodStartTime} reads the clock at each comparison; one instant per attempt keeps the sort consistent).
     */
    public static VictimOrder byStartTime(Instant now) {
        Objects.requireNonNull(now, "now");
        return new VictimOrder(p -> {
            Instant t = p.startTime();
            return t != null ? t : now;
        });
    }

    public VictimOrder(StartTimes startTimes) {
        this.startTimes = Objects.requireNonNull(startTimes, "startTimes");
    }

    /** The start time of {@code pod}. */
    public Instant startTime(PodRequest pod) {
        return startTimes.of(pod);
    }

    /** Negative when {@code a} is more important than {@code b} (sorts the most important first). */
    @Override
    public int compare(PodRequest a, PodRequest b) {
        if (a.priority() != b.priority()) {
            return a.priority() > b.priority() ? -1 : 1;
        }
        return startTimes.of(a).compareTo(startTimes.of(b));
    }
}
