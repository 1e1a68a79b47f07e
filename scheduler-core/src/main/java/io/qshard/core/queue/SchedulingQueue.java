package io.qshard.core.queue;

import io.qshard.core.framework.Status;
import io.qshard.core.model.PodAffinityTerm;
import io.qshard.core.model.PodRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Pending pods of one scheduler instance, in three sets as in kube-scheduler (and the gated pods, below):
 * <ul>
 *   <li><b>active</b> — ready to try, highest priority first, then oldest, then uid;</li>
 *   <li><b>backoff</b> — failed recently, retried once their per-pod backoff expires;</li>
 *   <li><b>unschedulable</b> — no node fit; moved back by a cluster event ({@link #onClusterEvent}: node
 *       added or changed, pod deleted), by a bound pod its required pod affinity selects ({@link #onAssignedPod}),
 *       or after {@code unschedulableTimeout}.</li>
 * </ul>
 * A pod popped for scheduling is "in flight"; if an event that would have moved it arrives before it is requeued as
 * unschedulable, it goes to backoff instead, so the event is never lost. A pod the PreEnqueue check refuses (e.g.
 * scheduling gates) is <b>gated</b>: held outside the three sets, never popped, and checked again on each update —
 * it enters the active set the moment the check passes. Time comes from the injected clock. Thread-safe: informer
 * threads add/update/delete while the decision thread pops.
 */
public final class SchedulingQueue {
    public static final Duration DEFAULT_UNSCHEDULABLE_TIMEOUT = Duration.ofSeconds(60);

    private static final Comparator<QueuedPod> BY_PRIORITY = Comparator.comparingInt(
                    (QueuedPod q) -> -q.pod().priority())
            .thenComparing(q -> q.pod().creationTime())
            .thenComparing(QueuedPod::uid);
    private static final Comparator<QueuedPod> BY_EXPIRY =
            Comparator.comparing(QueuedPod::backoffUntil).thenComparing(QueuedPod::uid);

    private final Clock clock;
    private final BackoffPolicy backoff;
    private final Duration unschedulableTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<QueuedPod> active = new TreeSet<>(BY_PRIORITY);
    private final TreeSet<QueuedPod> backingOff = new TreeSet<>(BY_EXPIRY);
    private final Map<String, QueuedPod> unschedulable = new HashMap<>();
    /** Insertion-ordered: the head is the pod that has waited longest. */
    private final Map<String, Instant> unschedulableSince = new LinkedHashMap<>();
    /** Every queued pod (any set) by uid. */
    private final Map<String, QueuedPod> queued = new HashMap<>();
    /** Popped and not yet done/requeued: uid → latest pod version (updated while in flight). */
    private final Map<String, PodRequest> inFlight = new HashMap<>();
    /** Pods the PreEnqueue check holds back: uid → latest version. */
    private final Map<String, PodRequest> gated = new HashMap<>();
    /** The unschedulable pods with a required pod-affinity term: all that {@link #onAssignedPod} looks at. */
    private final Map<String, QueuedPod> awaitingPartner = new HashMap<>();
    /** In-flight pods whose latest version has a required pod-affinity term. */
    private final Set<String> inFlightAwaiting = new HashSet<>();
    /** In-flight pods a bound pod was a partner for since they were popped: not unschedulable on return. */
    private final Set<String> partneredInFlight = new HashSet<>();

    private final Function<PodRequest, Status> preEnqueue;
    private long schedulingCycle;
    private long moveRequestCycle = -1;

    /** A queue that admits every pod (no PreEnqueue check). */
    public SchedulingQueue(Clock clock, BackoffPolicy backoff, Duration unschedulableTimeout) {
        this(clock, backoff, unschedulableTimeout, null);
    }

    /**
     * @param preEnqueue the PreEnqueue check ({@code FrameworkCycle::preEnqueue}); null admits every pod. Called under
     *                   the queue's lock: it must be pure and cheap.
     */
    public SchedulingQueue(
            Clock clock,
            BackoffPolicy backoff,
            Duration unschedulableTimeout,
            Function<PodRequest, Status> preEnqueue) {
        this.clock = clock;
        this.backoff = backoff;
        this.unschedulableTimeout = unschedulableTimeout;
        this.preEnqueue = preEnqueue;
    }

    /** A new pending pod; an already known uid is treated as {@link #update}. */
    public void add(PodRequest pod) {
        lock.lock();
        try {
            if (queued.containsKey(pod.uid()) || inFlight.containsKey(pod.uid()) || gated.containsKey(pod.uid())) {
                updateLocked(pod);
                return;
            }
            if (holdsBack(pod)) {
                return;
            }
            Instant now = clock.instant();
            insert(new QueuedPod(pod, 0, now, now, 0), Where.ACTIVE);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the PreEnqueue check refuses the pod; if so it is (still) gated. Without a check, nothing is gated. */
    private boolean holdsBack(PodRequest pod) {
        if (preEnqueue == null) {
            return false;
        }
        if (preEnqueue.apply(pod).isSuccess()) {
            gated.remove(pod.uid());
            return false;
        }
        gated.put(pod.uid(), pod);
        return true;
    }

    /** A pending pod changed; an unschedulable pod is given another try (its spec may fit now). */
    public void update(PodRequest pod) {
        lock.lock();
        try {
            updateLocked(pod);
        } finally {
            lock.unlock();
        }
    }

    private void updateLocked(PodRequest pod) {
        if (inFlight.containsKey(pod.uid())) {
            inFlight.put(pod.uid(), pod);
            if (awaitsPartner(pod)) {
                inFlightAwaiting.add(pod.uid());
            } else {
                inFlightAwaiting.remove(pod.uid());
            }
            return;
        }
        if (gated.containsKey(pod.uid())) {
            if (!holdsBack(pod)) {
                Instant now = clock.instant();
                insert(new QueuedPod(pod, 0, now, now, 0), Where.ACTIVE); // its gates are gone: queued at once
            }
            return;
        }
        QueuedPod q = queued.get(pod.uid());
        if (q == null) {
            add(pod);
            return;
        }
        boolean wasUnschedulable = unschedulable.containsKey(pod.uid());
        remove(q);
        insert(q.withPod(pod), wasUnschedulable ? afterWait(q) : where(q));
    }

    /** The pod is gone (deleted, or bound by someone else): forget it everywhere. */
    public void delete(String uid) {
        lock.lock();
        try {
            gated.remove(uid);
            QueuedPod q = queued.get(uid);
            if (q != null) {
                remove(q);
            }
            if (inFlight.containsKey(uid)) {
                inFlight.put(uid, null); // marker: requeue of this in-flight pod drops it
                inFlightAwaiting.remove(uid);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next pod to schedule, if one is ready now; it is in flight until {@link #done} or a requeue. */
    public Optional<QueuedPod> pop() {
        lock.lock();
        try {
            return Optional.ofNullable(popLocked());
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #pop} but waits up to {@code maxWait} (real time) for a pod to become ready. */
    public Optional<QueuedPod> take(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        lock.lock();
        try {
            while (true) {
                QueuedPod q = popLocked();
                if (q != null) {
                    return Optional.of(q);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                long wait = left;
                if (!backingOff.isEmpty()) {
                    long untilExpiry = Duration.between(
                                    clock.instant(), backingOff.first().backoffUntil())
                            .toNanos();
                    wait = Math.max(1_000_000, Math.min(wait, untilExpiry));
                }
                changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
            }
        } finally {
            lock.unlock();
        }
    }

    private QueuedPod popLocked() {
        flush(clock.instant());
        QueuedPod q = active.pollFirst();
        if (q == null) {
            return null;
        }
        queued.remove(q.uid());
        QueuedPod popped = q.popped(++schedulingCycle);
        inFlight.put(q.uid(), q.pod());
        if (awaitsPartner(q.pod())) {
            inFlightAwaiting.add(q.uid());
        }
        return popped;
    }

    /** The popped pod was placed (assumed); the queue forgets it. */
    public void done(String uid) {
        lock.lock();
        try {
            land(uid);
        } finally {
            lock.unlock();
        }
    }

    /** No node fit the popped pod: it waits for a cluster event (or for backoff, if one already came). */
    public void requeueUnschedulable(QueuedPod popped) {
        requeue(popped, true);
    }

    /** Scheduling or binding failed for another reason (API error): retry after backoff. */
    public void requeueAfterError(QueuedPod popped) {
        requeue(popped, false);
    }

    private void requeue(QueuedPod popped, boolean unschedulableResult) {
        lock.lock();
        try {
            if (!inFlight.containsKey(popped.uid())) {
                return; // done already, or never popped
            }
            boolean partnered = partneredInFlight.contains(popped.uid());
            PodRequest latest = land(popped.uid());
            if (latest == null) {
                return; // deleted while in flight
            }
            Instant now = clock.instant();
            QueuedPod failed = popped.withPod(latest).failed(now.plus(backoff.after(popped.attempts() + 1)));
            boolean eventSincePop = moveRequestCycle >= popped.cycle() || partnered;
            insert(failed, unschedulableResult && !eventSincePop ? Where.UNSCHEDULABLE : Where.BACKOFF);
        } finally {
            lock.unlock();
        }
    }

    /** Something changed that may make unschedulable pods fit: move them all to backoff/active. */
    public void onClusterEvent() {
        lock.lock();
        try {
            moveRequestCycle = schedulingCycle;
            for (QueuedPod q : new ArrayList<>(unschedulable.values())) {
                remove(q);
                insert(q, afterWait(q));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pod was bound (added, or updated: its labels may have changed) — kube-scheduler 1.20's
     * {@code AssignedPodAdded}/{@code AssignedPodUpdated}: the unschedulable pods with a required pod-affinity term
     * that selects {@code bound} move to backoff/active; an in-flight pod with such a term goes to backoff if it comes
     * back unschedulable. Other pods stay where they are. Without an unschedulable or in-flight pod that has a required
     * pod-affinity term this costs a lock and two size checks: it is meant for every bound pod event of the cluster.
     * Where 1.20 marks every in-flight pod on any such event ({@code moveRequestCycle}), only those the bound pod is a
     * partner for are marked here: by 1.20's own rule the event would not have moved the others.
     *
     * @param bound a pod bound or assumed to a node (its namespace and labels are what the terms are matched with)
     */
    public void onAssignedPod(PodRequest bound) {
        lock.lock();
        try {
            if (awaitingPartner.isEmpty() && inFlightAwaiting.isEmpty()) {
                return;
            }
            if (!awaitingPartner.isEmpty()) {
                List<QueuedPod> moving = new ArrayList<>();
                for (QueuedPod q : awaitingPartner.values()) {
                    if (partnerOf(q.pod(), bound)) {
                        moving.add(q);
                    }
                }
                for (QueuedPod q : moving) {
                    remove(q);
                    insert(q, afterWait(q));
                }
            }
            for (String uid : inFlightAwaiting) {
                if (partnerOf(inFlight.get(uid), bound)) {
                    partneredInFlight.add(uid);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static boolean awaitsPartner(PodRequest pod) {
        return !pod.podAffinity().required().isEmpty();
    }

    /**
     * Whether one of {@code waiting}'s required pod-affinity terms selects {@code bound}: its namespace is one of the
     * term's and its labels match the term's selector (1.20's {@code getUnschedulablePodsWithMatchingAffinityTerm}). A
     * term with a {@code namespaceSelector} (not in 1.20) is taken to select every namespace: the queue does not know
     * namespace labels, and a needless retry is cheaper than a pod left waiting.
     */
    private static boolean partnerOf(PodRequest waiting, PodRequest bound) {
        for (PodAffinityTerm t : waiting.podAffinity().required()) {
            if ((t.namespaceSelector() != null || t.namespaces().contains(bound.namespace()))
                    && t.selector().matches(bound.labels())) {
                return true;
            }
        }
        return false;
    }

    /** The in-flight pod leaves flight; its latest version (null if deleted meanwhile, or not in flight). */
    private PodRequest land(String uid) {
        inFlightAwaiting.remove(uid);
        partneredInFlight.remove(uid);
        return inFlight.remove(uid);
    }

    /** Sizes of the three sets and the in-flight count, for metrics. */
    public Sizes sizes() {
        lock.lock();
        try {
            return new Sizes(active.size(), backingOff.size(), unschedulable.size(), inFlight.size(), gated.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queue depths.
     *
     * @param active        ready to try
     * @param backoff       waiting for backoff expiry
     * @param unschedulable waiting for a cluster event
     * @param inFlight      popped, being scheduled or bound
     * @param gated         held back by PreEnqueue (not pending in the queue's sense)
     */
    public record Sizes(int active, int backoff, int unschedulable, int inFlight, int gated) {
        public int pending() {
            return active + backoff + unschedulable;
        }
    }

    private enum Where {
        ACTIVE,
        BACKOFF,
        UNSCHEDULABLE
    }

    private Where afterWait(QueuedPod q) {
        return q.backoffUntil().isAfter(clock.instant()) ? Where.BACKOFF : Where.ACTIVE;
    }

    private Where where(QueuedPod q) {
        return backingOff.contains(q) ? Where.BACKOFF : Where.ACTIVE;
    }

    private void insert(QueuedPod q, Where where) {
        queued.put(q.uid(), q);
        switch (where) {
            case ACTIVE -> active.add(q);
            case BACKOFF -> backingOff.add(q);
            case UNSCHEDULABLE -> {
                unschedulable.put(q.uid(), q);
                unschedulableSince.put(q.uid(), clock.instant());
                if (awaitsPartner(q.pod())) {
                    awaitingPartner.put(q.uid(), q);
                }
            }
        }
        changed.signalAll();
    }

    private void remove(QueuedPod q) {
        queued.remove(q.uid());
        if (!active.remove(q) && !backingOff.remove(q)) {
            unschedulable.remove(q.uid());
            unschedulableSince.remove(q.uid());
            awaitingPartner.remove(q.uid());
        }
    }

    private void flush(Instant now) {
        while (!backingOff.isEmpty() && !backingOff.first().backoffUntil().isAfter(now)) {
            active.add(backingOff.pollFirst());
        }
        Instant cutoff = now.minus(unschedulableTimeout);
        for (Iterator<Map.Entry<String, Instant>> it =
                        unschedulableSince.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            if (e.getValue().isAfter(cutoff)) {
                break; // the rest arrived later
            }
            it.remove();
            awaitingPartner.remove(e.getKey());
            active.add(unschedulable.remove(e.getKey()));
        }
    }
}
